import { EmailSchema, NameSchema, PASSWORD_MAX_LENGTH, PasswordSchema } from '@kraken/auth';
import { z } from 'zod';

/** Longest question, in characters. */
export const QUESTION_MAX_CHARS = 8000;

const isoDate = z.iso.datetime({ offset: true }).meta({ example: '2026-11-27T16:00:00.000Z' });
const uuid = z.uuid().meta({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' });

// --- requests (validated with ZodPipe; object schemas are strict: unknown fields → 400) ---

export const RegisterRequest = z
  .object({ email: EmailSchema, password: PasswordSchema, name: NameSchema })
  .strict()
  .meta({ description: 'A new account. The role cannot be set here: every account starts as `user`.' });

export const LoginRequest = z
  .object({ email: EmailSchema, password: z.string().min(1).max(PASSWORD_MAX_LENGTH).meta({ format: 'password', example: 'correct horse battery' }) })
  .strict();

export const RefreshRequest = z
  .object({ refreshToken: z.string().min(1).max(200).meta({ example: 'k3JQx1mB0c4u9Rj2mC1tY8l6W2qQm7aZ0sV4nP5eD3w' }) })
  .strict()
  .meta({ description: 'A refresh token from login or an earlier refresh.' });

export const UpdateMeRequest = z
  .object({
    name: NameSchema.optional(),
    email: EmailSchema.optional(),
    newPassword: PasswordSchema.optional(),
    currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH).optional().meta({ format: 'password' }),
  })
  .strict()
  .refine((v) => v.name !== undefined || v.email !== undefined || v.newPassword !== undefined, { message: 'nothing to change: give name, email or newPassword' })
  .refine((v) => (v.email === undefined && v.newPassword === undefined) || v.currentPassword !== undefined, {
    path: ['currentPassword'],
    message: 'required to change the email or the password',
  })
  .meta({ description: 'Changes to the own account. A new email or password needs `currentPassword`; a new password signs out every other session.', example: { name: 'Ada L.' } });

export const DeleteMeRequest = z
  .object({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH).meta({ format: 'password', example: 'correct horse battery' }) })
  .strict()
  .meta({ description: 'The current password, to confirm the deletion.' });

export const AskRequest = z
  .object({
    text: z
      .string()
      .max(QUESTION_MAX_CHARS * 2)
      .trim()
      .min(1)
      .max(QUESTION_MAX_CHARS)
      .refine((v) => !v.includes('\u0000'), 'NUL characters are not allowed')
      .meta({ example: 'How do I rotate a refresh token safely?' }),
    model: z.string().min(1).max(100).optional().meta({ description: 'One of API_MODELS; default: the providers’ chat model.', example: 'gpt-4o-mini' }),
  })
  .strict();

export const AdminUpdateUserRequest = z
  .object({ blocked: z.boolean().optional(), role: z.enum(['user', 'admin']).optional() })
  .strict()
  .refine((v) => v.blocked !== undefined || v.role !== undefined, { message: 'nothing to change: give blocked or role' })
  .meta({ description: 'Block or unblock the account (blocking signs it out everywhere), or change its role.', example: { blocked: true } });

const page = z.coerce.number().int().min(1).max(100_000).default(1);
const pageSize = z.coerce.number().int().min(1).max(100).default(20);

export const ListUsersQuery = z
  .object({ page, pageSize, search: z.string().trim().min(1).max(100).refine((v) => !/\p{Cc}/u.test(v), 'control characters are not allowed').optional() })
  .strict();

export const ListQuestionsQuery = z
  .object({ page, pageSize, userId: z.uuid().optional(), from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() })
  .strict();

export const IdParam = z.uuid({ error: 'expected a UUID' });

/** A Telegram chat id (negative for groups; within JavaScript's safe integers). */
const chatId = z.number().int().safe().meta({ description: 'Telegram chat id', example: -1001234567890 });
/** A chat id in a query string: an integer such as `-1001234567890`. */
const chatIdQuery = z.string().regex(/^-?\d{1,16}$/, 'expected a Telegram chat id').transform(Number).pipe(chatId);
/** A single-line text (query parameter, title): trimmed, without control characters. */
const queryText = (max: number) => z.string().trim().min(1).max(max).refine((v) => !/\p{Cc}/u.test(v), 'control characters are not allowed');

export const KbDocumentsQuery = z
  .object({ chatId: chatIdQuery.optional() })
  .strict();

export const KbSearchQuery = z
  .object({
    q: queryText(QUESTION_MAX_CHARS),
    chatId: chatIdQuery.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(5),
  })
  .strict();

export const AddKbDocumentRequest = z
  .object({
    title: queryText(200).refine((v) => !/[\\/]/.test(v), 'slashes are not allowed').meta({ example: 'Chat rules' }),
    chatId: chatId.nullable().optional().meta({ description: 'The chat the document answers in; absent or null: every chat.' }),
    format: z.enum(['markdown', 'text', 'html']),
    content: z.string().min(1).refine((v) => !v.includes('\u0000'), 'NUL characters are not allowed').meta({ example: '# Chat rules\n\n## Advertising\n\nNo advertising without the admins’ consent.' }),
  })
  .strict()
  .meta({
    description: 'A document for the knowledge base. Adding a document with the same title and format to the same chat (or to every chat) again replaces it.',
    example: { title: 'Chat rules', chatId: -1001234567890, format: 'markdown', content: '# Chat rules\n\n## Advertising\n\nNo advertising without the admins’ consent.' },
  });

export const KbDocumentIdParam = z.string().regex(/^[1-9]\d{0,14}$/, 'expected a document id').transform(Number);

// --- responses ---

export const TokenPair = z
  .object({
    accessToken: z.string().meta({ description: 'JWT (HS256) for `Authorization: Bearer …`', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzaWQiOiIuLi4ifQ.c2lnbmF0dXJl' }),
    refreshToken: z.string().meta({ description: 'Single-use: POST /auth/refresh returns a new one', example: 'k3JQx1mB0c4u9Rj2mC1tY8l6W2qQm7aZ0sV4nP5eD3w' }),
    expiresIn: z.number().int().meta({ description: 'Seconds until the access token expires', example: 900 }),
    tokenType: z.literal('Bearer'),
  })
  .strict();

export const Account = z
  .object({
    id: uuid,
    email: z.string().meta({ example: 'ada@example.com' }),
    name: z.string().meta({ example: 'Ada Lovelace' }),
    role: z.enum(['user', 'admin']),
    blocked: z.boolean(),
    telegramUserId: z.number().int().nullable().meta({ example: 123456789 }),
    telegramLinkedAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .strict()
  .meta({ description: 'An account (the password hash is never returned).' });

export const AccountDetail = Account.extend({ questionCount: z.number().int().meta({ example: 3 }) }).strict();

export const TelegramLinkCode = z
  .object({
    code: z.string().meta({ example: 'K7Q29MXD' }),
    command: z.string().meta({ description: 'What to send to the bot in a private chat', example: '/link K7Q29MXD' }),
    expiresAt: isoDate,
  })
  .strict();

export const Question = z
  .object({
    id: uuid,
    userId: uuid,
    question: z.string().meta({ example: 'How do I rotate a refresh token safely?' }),
    answer: z.string().meta({ example: 'Issue a new one on every use and revoke the family when an old one comes back.' }),
    model: z.string().meta({ example: 'gpt-4o-mini' }),
    provider: z.string().meta({ example: 'openai' }),
    promptTokens: z.number().int().meta({ example: 18 }),
    completionTokens: z.number().int().meta({ example: 27 }),
    costUsd: z.number().meta({ description: 'USD (0 for a cached answer)', example: 0.0000189 }),
    cached: z.boolean(),
    latencyMs: z.number().int().meta({ example: 840 }),
    createdAt: isoDate,
  })
  .strict();

export const QuestionList = z.object({ items: z.array(Question).max(3) }).strict().meta({ description: 'The caller’s last 3 questions, newest first.' });

const pageOf = (item: z.ZodType) =>
  z.object({ items: z.array(item), total: z.number().int().meta({ example: 1 }), page: z.number().int().meta({ example: 1 }), pageSize: z.number().int().meta({ example: 20 }) }).strict();
export const AccountPage = pageOf(Account);
export const QuestionPage = pageOf(Question);

export const KbDocument = z
  .object({
    id: z.number().int().meta({ example: 7 }),
    title: z.string().meta({ example: 'Chat rules' }),
    format: z.enum(['markdown', 'txt', 'html', 'pdf', 'docx']).meta({ example: 'markdown' }),
    chatId: z.number().int().nullable().meta({ description: 'Telegram chat id; null: every chat', example: -1001234567890 }),
    chunkCount: z.number().int().meta({ description: 'Searchable sections', example: 3 }),
    createdAt: isoDate,
  })
  .strict()
  .meta({ description: 'A knowledge-base document.' });

export const KbDocumentList = z.object({ items: z.array(KbDocument) }).strict().meta({ description: 'Newest first.' });

export const KbSearchResult = z
  .object({
    document: z.string().meta({ description: 'Document title', example: 'Chat rules' }),
    section: z.number().int().meta({ description: 'Section number (the “§n” of a citation)', example: 2 }),
    chunk: z.string().meta({ description: 'The section’s text', example: 'No advertising without the admins’ consent.' }),
    score: z.number().meta({ description: 'Full-text score, 0-1', example: 0.815 }),
    similarity: z.number().optional().meta({ description: 'Cosine similarity (only with embeddings and pgvector)', example: 0.71 }),
  })
  .strict();

export const KbSearchResults = z.array(KbSearchResult).meta({ description: 'Best first (same shape as `kraken kb search --json`).' });

export const ErrorResponse = z
  .object({
    statusCode: z.number().int().meta({ example: 400 }),
    error: z.string().meta({ example: 'Bad Request' }),
    message: z.string().meta({ example: 'invalid request: password: expected at least 10 characters' }),
    fields: z
      .array(z.object({ path: z.string(), message: z.string() }).strict())
      .optional()
      .meta({ description: 'Validation errors only: each failing field', example: [{ path: 'password', message: 'expected at least 10 characters' }] }),
  })
  .strict()
  .meta({ description: 'Every error answer has this shape.' });

/** Request schemas, documented as their input (before trimming and defaults). */
export const REQUEST_SCHEMAS = { RegisterRequest, LoginRequest, RefreshRequest, UpdateMeRequest, DeleteMeRequest, AskRequest, AdminUpdateUserRequest, AddKbDocumentRequest } as const;
/** Response schemas, documented as their output. */
export const RESPONSE_SCHEMAS = { TokenPair, Account, AccountDetail, TelegramLinkCode, Question, QuestionList, AccountPage, QuestionPage, KbDocument, KbDocumentList, KbSearchResult, KbSearchResults, ErrorResponse } as const;

export type SchemaName = keyof typeof REQUEST_SCHEMAS | keyof typeof RESPONSE_SCHEMAS;
