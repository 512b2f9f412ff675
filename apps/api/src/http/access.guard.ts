import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccountService } from '@kraken/auth';
import { HealthController } from '@kraken/health';
import { MetricsController } from '@kraken/observability';
import { ADMIN_ROUTE, PUBLIC_ROUTE, type AuthenticatedRequest } from './access';

/** Controllers of the shared libs that stay open: health checks and Prometheus metrics (like every Kraken app's). */
const OPEN_CONTROLLERS: Function[] = [HealthController, MetricsController];

/** `Authorization: Bearer <token>` (RFC 6750 §2.1); the token part as JWS compact characters. */
const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/**
 * Global guard (deny by default): every route needs a valid access token unless marked @Public().
 * /health and /metrics stay open. The token's session is checked on each request (AccountService.authenticate), so logout, blocking,
 * a password change or account deletion end access at once. Routes marked @AdminOnly() also need
 * role `admin` (read from the database, not from the token). 401 without a valid token, 403 for a
 * blocked account or a non-admin on an admin route.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (OPEN_CONTROLLERS.includes(context.getClass()) || this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = BEARER.exec(req.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException('an access token is required (Authorization: Bearer <token>)');
    req.principal = await this.accounts.authenticate(match[1]);
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ROUTE, targets) && req.principal.role !== 'admin') {
      throw new ForbiddenException('only admins may do this');
    }
    return true;
  }
}
