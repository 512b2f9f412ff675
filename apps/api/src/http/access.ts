import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { SessionPrincipal } from '@kraken/auth';
import type { Request } from 'express';

/** Metadata key of @Public(). */
export const PUBLIC_ROUTE = 'kraken:public';
/** Metadata key of @AdminOnly(). */
export const ADMIN_ROUTE = 'kraken:admin';

/** Marks a route that needs no access token (registration, login, refresh, logout). Every other route needs one. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Marks a route (or controller) only accounts with role `admin` may call; others get 403. */
export const AdminOnly = () => SetMetadata(ADMIN_ROUTE, true);

/** A request after AccessGuard let it through: the caller's account as stored now. */
export type AuthenticatedRequest = Request & { principal?: SessionPrincipal };

/** The caller's account (set by AccessGuard) as a handler parameter. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): SessionPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Caller used on a route AccessGuard did not authenticate');
  return principal;
});
