import { z } from 'zod';

/**
 * An integer variable of at least `min`, `fallback` when unset. Accepts the decimal text an
 * environment variable holds (`z.coerce`); a non-integer or a value below `min` fails validation.
 */
export const intFrom = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

/**
 * A worker's HTTP port for /health/live, /health/ready and /metrics (`HEALTH_PORT`, 0: any free
 * port). Each worker has its own default (stats 9464, llm 9465, digest 9466) so that apps started on
 * one host without settings never clash; the gateway and the API listen on PORT / API_PORT instead.
 */
export const healthPortEnv = (fallback: number) => z.object({ HEALTH_PORT: intFrom(0, fallback) });
