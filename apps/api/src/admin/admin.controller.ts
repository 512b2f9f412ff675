import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccountRepository, accountView, AccountService, AuthError, QuestionRepository, type AccountView, type Page, type QuestionView, type SessionPrincipal } from '@kraken/auth';
import type { z } from 'zod';
import { AdminOnly, Caller } from '../http/access';
import { ZodPipe } from '../http/request-validation';
import { ApiErrors, JsonBody, JsonResponse } from '../openapi/openapi-decorators';
import { AdminUpdateUserRequest, IdParam, ListQuestionsQuery, ListUsersQuery } from '../openapi/schemas';

type Paged<T> = Page<T> & { page: number; pageSize: number };

/** `/admin`: every account and question (role `admin` only; others get 403). */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@AdminOnly()
@ApiErrors(401, 403)
@Controller('admin')
export class AdminController {
  constructor(
    private readonly accounts: AccountService,
    private readonly repository: AccountRepository,
    private readonly questions: QuestionRepository,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'List accounts', description: 'Newest first; `search` matches email or name (case-insensitive).' })
  @ApiQuery({ name: 'page', required: false, schema: { type: 'integer', minimum: 1, default: 1 } })
  @ApiQuery({ name: 'pageSize', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } })
  @ApiQuery({ name: 'search', required: false, schema: { type: 'string', maxLength: 100 }, example: 'ada' })
  @JsonResponse(200, 'AccountPage', 'one page of accounts')
  @ApiErrors(400)
  async users(@Query(new ZodPipe(ListUsersQuery)) query: z.output<typeof ListUsersQuery>): Promise<Paged<AccountView>> {
    const page = await this.repository.list(query);
    return { items: page.items.map(accountView), total: page.total, page: query.page, pageSize: query.pageSize };
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One account', description: 'With its number of stored questions.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @JsonResponse(200, 'AccountDetail', 'the account')
  @ApiErrors(400, 404)
  async user(@Param('id', new ZodPipe(IdParam)) id: string): Promise<AccountView & { questionCount: number }> {
    const account = await this.repository.findById(id);
    if (!account) throw new AuthError('not_found', 'no such account');
    return { ...accountView(account), questionCount: await this.repository.questionCount(id) };
  }

  @Patch('users/:id')
  @ApiOperation({ summary: 'Block, unblock or change the role of an account', description: 'Blocking signs the account out everywhere at once. Admins cannot block themselves or change their own role (409).' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @JsonBody('AdminUpdateUserRequest')
  @JsonResponse(200, 'Account', 'the changed account')
  @ApiErrors(400, 404, 409, 413, 415)
  async update(
    @Caller() caller: SessionPrincipal,
    @Param('id', new ZodPipe(IdParam)) id: string,
    @Body(new ZodPipe(AdminUpdateUserRequest)) body: z.output<typeof AdminUpdateUserRequest>,
  ): Promise<AccountView> {
    return accountView(await this.accounts.adminUpdate(caller, id, body));
  }

  @Get('questions')
  @ApiOperation({ summary: 'List questions of every account', description: 'Newest first; filter by account and by creation time in [from, to).' })
  @ApiQuery({ name: 'page', required: false, schema: { type: 'integer', minimum: 1, default: 1 } })
  @ApiQuery({ name: 'pageSize', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } })
  @ApiQuery({ name: 'userId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' }, example: '2026-11-01T00:00:00Z' })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' }, example: '2026-12-01T00:00:00Z' })
  @JsonResponse(200, 'QuestionPage', 'one page of questions')
  @ApiErrors(400)
  async allQuestions(@Query(new ZodPipe(ListQuestionsQuery)) query: z.output<typeof ListQuestionsQuery>): Promise<Paged<QuestionView>> {
    const page = await this.questions.list({
      userId: query.userId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      page: query.page,
      pageSize: query.pageSize,
    });
    return { ...page, page: query.page, pageSize: query.pageSize };
  }
}
