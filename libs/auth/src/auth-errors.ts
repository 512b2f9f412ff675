/**
 * Why an account operation was refused:
 * - `email_taken`: another account has the (normalised) email;
 * - `invalid_credentials`: unknown email or wrong password (the same answer for both);
 * - `account_blocked`: an admin blocked the account;
 * - `invalid_token`: an access or refresh token that is malformed, expired, signed otherwise, or whose
 *   session was revoked or account deleted;
 * - `refresh_reused`: a refresh token that was already rotated; its whole session is now revoked;
 * - `wrong_password`: the current password given to confirm a change is wrong;
 * - `not_found`: no such account;
 * - `own_account`: an admin tried to block themselves or change their own role.
 */
export type AuthErrorCode =
  | 'email_taken'
  | 'invalid_credentials'
  | 'account_blocked'
  | 'invalid_token'
  | 'refresh_reused'
  | 'wrong_password'
  | 'not_found'
  | 'own_account';

/** A refused account operation; HTTP layers map `code` to a status. The message is safe to show. */
export class AuthError extends Error {
  override name = 'AuthError';

  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}
