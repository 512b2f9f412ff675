import type { ApiRole, ApiUser } from '@kraken/db';

/** An account as the API shows it: never the password hash. Dates as ISO 8601 strings. */
export interface AccountView {
  id: string;
  email: string;
  name: string;
  role: ApiRole;
  blocked: boolean;
  /** The linked Telegram user's id, or null. */
  telegramUserId: number | null;
  telegramLinkedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The public view of a stored account (explicit fields, so a new column never leaks by accident). */
export function accountView(user: Omit<ApiUser, 'passwordHash'>): AccountView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    blocked: user.blocked,
    telegramUserId: user.telegramUserId === null ? null : Number(user.telegramUserId),
    telegramLinkedAt: user.telegramLinkedAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
