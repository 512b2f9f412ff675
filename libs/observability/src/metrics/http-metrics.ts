import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram } from 'prom-client';

/** Buckets of the request histogram, in seconds: 1 ms … 30 s. */
const REQUEST_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Route label of requests no route matched (unknown paths, bodies refused before routing): one series, not one per path. */
const UNMATCHED = '(unmatched)';

const requests = new Counter({
  name: 'kraken_http_requests_total',
  help: 'HTTP requests answered, by method, route (the route pattern, e.g. /questions/:id) and status',
  labelNames: ['method', 'route', 'status'] as const,
});

const duration = new Histogram({
  name: 'kraken_http_request_duration_seconds',
  help: 'Time from receiving an HTTP request to the end of its response, by method and route',
  labelNames: ['method', 'route'] as const,
  buckets: REQUEST_SECONDS,
});

/** What express adds to a request once a route matched. */
type RoutedRequest = IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };

/**
 * Express middleware counting every response in `kraken_http_requests_total{method,route,status}` and
 * timing it in `kraken_http_request_duration_seconds{method,route}`. The route is the matched
 * pattern (bounded cardinality), `(unmatched)` for unknown paths and answers given before routing. Install it first (`app.use(httpMetrics)`),
 * so answers given by later middleware (413, 415) are counted too. A response cut by the client is
 * counted with status 499 (nginx's convention).
 */
export function httpMetrics(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const started = process.hrtime.bigint();
  let done = false;
  const record = () => {
    if (done) return;
    done = true;
    const routed = req as RoutedRequest;
    const path = routed.route?.path;
    // Catch-all routes (Nest's 404 handler, `/{*path}`) count as unmatched too.
    const route = typeof path === 'string' && !path.includes('*') ? `${routed.baseUrl ?? ''}${path}` : UNMATCHED;
    const method = req.method ?? 'GET';
    const status = res.writableFinished ? String(res.statusCode) : '499';
    requests.inc({ method, route, status });
    duration.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
  };
  res.once('finish', record);
  res.once('close', record);
  next();
}
