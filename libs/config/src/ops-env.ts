import { z } from 'zod';

/** Default grace period of a shutdown (ms): less than compose's `stop_grace_period` (30 s). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 20_000;

/**
 * Operations settings every long-running Kraken process reads (merged into `baseEnv`):
 * - `SENTRY_DSN`: errors go to Sentry when set (https://docs.sentry.io/concepts/key-terms/dsn-explainer/);
 *   nothing is sent when unset. `SENTRY_ENVIRONMENT` defaults to NODE_ENV.
 * - `METRICS_ENABLED`: serve Prometheus metrics at `GET /metrics` on the app's HTTP port.
 * - `SHUTDOWN_GRACE_MS`: on SIGTERM, how long running jobs and HTTP requests may take to finish
 *   before the rest is handed back to the queue.
 */
export const opsEnv = z.object({
  SENTRY_DSN: z.url({ protocol: /^https?$/, error: 'expected a Sentry DSN such as https://<key>@<host>/<project>' }).optional(),
  SENTRY_ENVIRONMENT: z.string().max(64).optional(),
  METRICS_ENABLED: z.stringbool({ error: 'expected true or false' }).default(true),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(DEFAULT_SHUTDOWN_GRACE_MS),
});

/**
 * An argon2 hash in PHC string format, as `argon2.hash()` prints it
 * (`$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`, parameters in any order, https://github.com/P-H-C/phc-string-format).
 */
const ARGON2_PHC = /^\$argon2(id|i|d)\$v=\d+\$[mtp]=\d+(,[mtp]=\d+){2}\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/**
 * Credentials of the queue dashboard (gateway, `/admin/queues`). The password is stored only as an
 * argon2 hash; both must be set for the dashboard to open (see checkAdminCredentials). After
 * ADMIN_LOGIN_MAX_FAILURES failed logins of one user name from one address within
 * ADMIN_LOGIN_LOCKOUT_SECONDS, that address and user name get 429 until the window ends.
 */
export const adminEnv = z.object({
  ADMIN_USER: z
    .string()
    .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'expected 1-64 characters of A-Z a-z 0-9 _ . @ -')
    .optional(),
  ADMIN_PASSWORD_HASH: z
    .string()
    .regex(ARGON2_PHC, 'expected an argon2 hash ($argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>; see docs/operations.md)')
    .optional(),
  ADMIN_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  ADMIN_LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
});

/** Adds an issue when only one of ADMIN_USER and ADMIN_PASSWORD_HASH is set (for a `superRefine`). */
export function checkAdminCredentials(env: z.infer<typeof adminEnv>, ctx: z.RefinementCtx): void {
  if (Boolean(env.ADMIN_USER) === Boolean(env.ADMIN_PASSWORD_HASH)) return;
  const missing = env.ADMIN_USER ? 'ADMIN_PASSWORD_HASH' : 'ADMIN_USER';
  ctx.addIssue({ code: 'custom', path: [missing], message: 'required when the other ADMIN_ variable is set' });
}

export type OpsEnv = z.infer<typeof opsEnv>;
export type AdminEnv = z.infer<typeof adminEnv>;
