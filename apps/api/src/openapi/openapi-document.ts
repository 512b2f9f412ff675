import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from './schemas';

/**
 * The API's OpenAPI 3.0 document: operations from the controllers of `modules` (@nestjs/swagger;
 * health and metrics are left out), component schemas generated from the zod schemas that validate
 * requests and describe responses (one source of truth), and the bearer security scheme.
 */
export function buildOpenApiDocument(app: INestApplication, modules: Function[], version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Kraken API')
    .setDescription(
      'Accounts with JWT, questions to the LLM with the last 3 kept, and administration. Sign in with POST /auth/login, then send `Authorization: Bearer <accessToken>`; rotate with POST /auth/refresh. Every error is `{statusCode, error, message}` (validation errors add `fields`).',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'accessToken from POST /auth/login or /auth/refresh' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { include: modules });
  const schemas = {
    ...Object.fromEntries(Object.entries(REQUEST_SCHEMAS).map(([name, schema]) => [name, z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' })])),
    ...Object.fromEntries(Object.entries(RESPONSE_SCHEMAS).map(([name, schema]) => [name, z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any' })])),
  };
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...(schemas as NonNullable<OpenAPIObject['components']>['schemas']) } };
  return document;
}
