import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { z } from 'zod';
import { AuthError } from './auth-errors';

/** The one signing algorithm accepted: HMAC-SHA-256 (RFC 7518 §3.2). Tokens with any other `alg`, `none` included, are refused. */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';
/** `iss` and `aud` of Kraken's access tokens. */
export const ACCESS_TOKEN_ISSUER = 'kraken';
export const ACCESS_TOKEN_AUDIENCE = 'kraken-api';

/** The claims Kraken puts in an access token besides iss/aud/iat/exp: the account (`sub`) and its session (`sid`). */
const ClaimsSchema = z.object({ sub: z.uuid(), sid: z.uuid(), typ: z.literal('access') });
export type AccessClaims = z.infer<typeof ClaimsSchema>;

/**
 * Signs and verifies access tokens (JWT through @nestjs/jwt and jsonwebtoken) with the algorithm
 * pinned to HS256 on both sides, issuer and audience checked, lifetime `ttlSeconds`.
 */
export class AccessTokens {
  private readonly jwt: JwtService;

  /**
   * @param secret JWT_SECRET (at least 32 bytes, checked by the configuration schema)
   * @param ttlSeconds lifetime of a token (JWT_ACCESS_TTL_SECONDS)
   */
  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as
    // a public key on every verification, which cost ~1 ms of CPU per request.
    const key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.jwt = new JwtService({
      secretOrKeyProvider: () => key,
      signOptions: { algorithm: ACCESS_TOKEN_ALGORITHM, expiresIn: ttlSeconds, issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE },
      verifyOptions: { algorithms: [ACCESS_TOKEN_ALGORITHM], issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE },
    });
  }

  /** A token for session `sessionId` of account `userId`. */
  sign(userId: string, sessionId: string): Promise<string> {
    return this.jwt.signAsync({ sid: sessionId, typ: 'access' }, { subject: userId });
  }

  /**
   * The claims of a valid token.
   * @throws AuthError `invalid_token` when it is malformed, expired, signed with another key or
   *   algorithm, or lacks Kraken's claims
   */
  async verify(token: string): Promise<AccessClaims> {
    let payload: unknown;
    try {
      payload = await this.jwt.verifyAsync(token);
    } catch {
      throw new AuthError('invalid_token', 'invalid or expired access token');
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw new AuthError('invalid_token', 'invalid or expired access token');
    return claims.data;
  }
}
