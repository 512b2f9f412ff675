import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { ApiEnv } from '@kraken/config';
import { httpMetrics } from '@kraken/observability';
import helmet from 'helmet';
import { ApiModule } from './api.module';
import { useJsonBodies } from './http/json-body';
import { buildOpenApiDocument } from './openapi/openapi-document';

/** Version of the API's contract in the OpenAPI document (raised when an endpoint changes incompatibly). */
export const API_VERSION = '1.0';

/**
 * The HTTP layer around ApiModule, shared by main.ts and the tests: request metrics first (so 413/415
 * answers are counted), helmet's security headers, CORS for API_CORS_ORIGINS only (off when empty),
 * the trusted proxy hops, JSON bodies (415/413/400 in the API's error shape), and Swagger UI at /docs
 * with the document at /docs-json (API_DOCS_ENABLED). Call before listen/init.
 */
export function configureApi(app: NestExpressApplication, config: Pick<ApiEnv, 'API_CORS_ORIGINS' | 'API_TRUST_PROXY' | 'API_BODY_LIMIT_BYTES' | 'API_DOCS_ENABLED'>): void {
  app.use(httpMetrics);
  app.use(helmet());
  app.set('trust proxy', config.API_TRUST_PROXY);
  if (config.API_CORS_ORIGINS.length) {
    app.enableCors({ origin: config.API_CORS_ORIGINS, methods: ['GET', 'POST', 'PATCH', 'DELETE'], allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'X-Request-Id'], maxAge: 600 });
  }
  useJsonBodies(app, config.API_BODY_LIMIT_BYTES);
  if (config.API_DOCS_ENABLED) {
    SwaggerModule.setup('docs', app, buildOpenApiDocument(app, [ApiModule], API_VERSION), { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Kraken API' });
  }
}
