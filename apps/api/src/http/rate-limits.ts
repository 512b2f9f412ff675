import { createHash } from 'node:crypto';
import { Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerOptions } from '@nestjs/throttler';
import type { Response } from 'express';
import type { AuthenticatedRequest } from './access';

/**
 * The API's rate limits (@nestjs/throttler, counters in Redis):
 * - `login`: LOGIN_LIMIT tries per email and client address per LOGIN_WINDOW_SECONDS;
 * - `login-ip`: LOGIN_IP_LIMIT tries per client address per window, whatever the emails;
 * - `register`: REGISTER_LIMIT registrations per client address per hour;
 * - `ask`: ASK_LIMIT questions per account per ASK_WINDOW_SECONDS.
 */
export type RateLimitName = 'login' | 'login-ip' | 'register' | 'ask';

/** Metadata key of @RateLimited. */
const RATE_LIMITS = 'kraken:rate-limits';

/** Applies the named limits to a route; a limit applies only where it is named. */
export const RateLimited = (...names: RateLimitName[]) => SetMetadata(RATE_LIMITS, names);

function limitsOf(context: ExecutionContext): RateLimitName[] {
  return (Reflect.getMetadata(RATE_LIMITS, context.getHandler()) as RateLimitName[] | undefined) ?? [];
}

/** The email of a login body as it will be looked up (so case or width variants share a counter). */
function loginEmail(req: AuthenticatedRequest): string {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.slice(0, 320).normalize('NFKC').trim().toLowerCase() : '';
}

/** The configuration rateLimitThrottlers reads. */
type LimitSetting = 'LOGIN_LIMIT' | 'LOGIN_WINDOW_SECONDS' | 'LOGIN_IP_LIMIT' | 'REGISTER_LIMIT' | 'ASK_LIMIT' | 'ASK_WINDOW_SECONDS';

/** The throttlers of the API from its configuration (ttl in ms, as @nestjs/throttler 6 counts). */
export function rateLimitThrottlers(setting: (name: LimitSetting) => number): ThrottlerOptions[] {
  const env = Object.fromEntries((['LOGIN_LIMIT', 'LOGIN_WINDOW_SECONDS', 'LOGIN_IP_LIMIT', 'REGISTER_LIMIT', 'ASK_LIMIT', 'ASK_WINDOW_SECONDS'] as const).map((n) => [n, setting(n)])) as Record<LimitSetting, number>;
  const only = (name: RateLimitName) => (context: ExecutionContext) => !limitsOf(context).includes(name);
  const ip = (req: Record<string, any>) => String(req.ip ?? '');
  return [
    { name: 'login', limit: env.LOGIN_LIMIT, ttl: env.LOGIN_WINDOW_SECONDS * 1000, skipIf: only('login'), getTracker: (req) => `${loginEmail(req as AuthenticatedRequest)}|${ip(req)}` },
    { name: 'login-ip', limit: env.LOGIN_IP_LIMIT, ttl: env.LOGIN_WINDOW_SECONDS * 1000, skipIf: only('login-ip'), getTracker: ip },
    { name: 'register', limit: env.REGISTER_LIMIT, ttl: 3_600_000, skipIf: only('register'), getTracker: ip },
    { name: 'ask', limit: env.ASK_LIMIT, ttl: env.ASK_WINDOW_SECONDS * 1000, skipIf: only('ask'), getTracker: (req) => (req as AuthenticatedRequest).principal?.userId ?? ip(req) },
  ];
}

/** Redis key of a counter: `<prefix>:throttle:<name>:<sha256(tracker)>` (no email or address in Redis). */
export function rateLimitKey(prefix: string) {
  return (_context: ExecutionContext, tracker: string, name: string): string => `${prefix}:throttle:${name}:${createHash('sha256').update(tracker).digest('hex')}`;
}

/**
 * ThrottlerGuard answering 429 with the standard `Retry-After` header (seconds) instead of the
 * library's per-throttler `Retry-After-<name>`; runs after AccessGuard, so `ask` counts per account.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}
