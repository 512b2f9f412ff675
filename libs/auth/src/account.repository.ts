import { Prisma, type ApiRole, type ApiUser, type PrismaService } from '@kraken/db';
import { AuthError } from './auth-errors';

/** A page of a listing: its items and the total matching. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** What the repository returns of an account: everything but the password hash. */
export type StoredAccount = Omit<ApiUser, 'passwordHash'>;

const PUBLIC_FIELDS = {
  id: true,
  email: true,
  name: true,
  role: true,
  blocked: true,
  telegramUserId: true,
  telegramLinkedAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.ApiUserSelect;

/** Outcome of linking a Telegram user to an account. */
export type LinkOutcome = 'linked' | 'taken' | 'no-account';

/** True for Prisma's unique-constraint violation (P2002). */
function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * API accounts in PostgreSQL (`ApiUser`), through Prisma's typed client. Emails arrive already
 * normalised (EmailSchema). No method returns the password hash except passwordHashOf.
 */
export class AccountRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Creates an account.
   * @throws AuthError `email_taken` when the email is in use
   */
  async create(data: { email: string; name: string; passwordHash: string; role?: ApiRole }): Promise<StoredAccount> {
    try {
      return await this.prisma.apiUser.create({ data, select: PUBLIC_FIELDS });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AuthError('email_taken', 'an account with this email exists');
      throw error;
    }
  }

  /** The account with `id`, or null. */
  findById(id: string): Promise<StoredAccount | null> {
    return this.prisma.apiUser.findUnique({ where: { id }, select: PUBLIC_FIELDS });
  }

  /** Id, password hash and blocked flag of the account with `email` (normalised), or null. */
  credentialsOf(email: string): Promise<{ id: string; passwordHash: string; blocked: boolean } | null> {
    return this.prisma.apiUser.findUnique({ where: { email }, select: { id: true, passwordHash: true, blocked: true } });
  }

  /** The password hash of account `id`, or null when it does not exist. */
  async passwordHashOf(id: string): Promise<string | null> {
    return (await this.prisma.apiUser.findUnique({ where: { id }, select: { passwordHash: true } }))?.passwordHash ?? null;
  }

  /**
   * Changes fields of account `id`.
   * @throws AuthError `email_taken` (new email in use) or `not_found`
   */
  async update(id: string, data: { name?: string; email?: string; passwordHash?: string; role?: ApiRole; blocked?: boolean }): Promise<StoredAccount> {
    try {
      return await this.prisma.apiUser.update({ where: { id }, data, select: PUBLIC_FIELDS });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AuthError('email_taken', 'an account with this email exists');
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') throw new AuthError('not_found', 'no such account');
      throw error;
    }
  }

  /** Deletes account `id` with its sessions, refresh tokens and questions (foreign keys cascade). @returns whether it existed. */
  async delete(id: string): Promise<boolean> {
    return (await this.prisma.apiUser.deleteMany({ where: { id } })).count === 1;
  }

  /**
   * Accounts whose email or name contains `search` (case-insensitive; `%` and `_` match themselves),
   * newest first, one page of `pageSize` (1-based `page`).
   */
  async list(options: { search?: string; page: number; pageSize: number }): Promise<Page<StoredAccount>> {
    // Prisma passes `contains` into ILIKE '%…%' unescaped: a searched % or _ must match itself.
    const search = options.search?.replace(/[\\%_]/g, (c) => `\\${c}`);
    const where: Prisma.ApiUserWhereInput = search
      ? { OR: [{ email: { contains: search, mode: 'insensitive' } }, { name: { contains: search, mode: 'insensitive' } }] }
      : {};
    const [items, total] = await Promise.all([
      this.prisma.apiUser.findMany({ where, select: PUBLIC_FIELDS, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (options.page - 1) * options.pageSize, take: options.pageSize }),
      this.prisma.apiUser.count({ where }),
    ]);
    return { items, total };
  }

  /** Number of questions account `id` has stored. */
  questionCount(id: string): Promise<number> {
    return this.prisma.apiQuestion.count({ where: { userId: id } });
  }

  /**
   * Attaches Telegram user `telegramUserId` to account `id` (replacing a previous link of that account).
   * @returns `taken` when that Telegram user is linked to another account, `no-account` when the account is gone
   */
  async linkTelegram(id: string, telegramUserId: number): Promise<LinkOutcome> {
    try {
      const { count } = await this.prisma.apiUser.updateMany({ where: { id }, data: { telegramUserId: BigInt(telegramUserId), telegramLinkedAt: new Date() } });
      return count === 1 ? 'linked' : 'no-account';
    } catch (error) {
      if (isUniqueViolation(error)) return 'taken';
      throw error;
    }
  }

  /** Detaches the Telegram user of account `id`. @returns the account, or null when it does not exist */
  async unlinkTelegram(id: string): Promise<StoredAccount | null> {
    await this.prisma.apiUser.updateMany({ where: { id }, data: { telegramUserId: null, telegramLinkedAt: null } });
    return this.findById(id);
  }
}
