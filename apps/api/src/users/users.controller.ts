import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRepository, accountView, AccountService, AuthError, TelegramLinkCodes, type AccountView, type SessionPrincipal } from '@kraken/auth';
import type { z } from 'zod';
import { Caller } from '../http/access';
import { ZodPipe } from '../http/request-validation';
import { ApiErrors, JsonBody, JsonResponse } from '../openapi/openapi-decorators';
import { DeleteMeRequest, UpdateMeRequest } from '../openapi/schemas';

/** `/users/me`: the caller's own account, its changes and deletion, and linking Telegram. */
@ApiTags('me')
@ApiBearerAuth('bearer')
@ApiErrors(401)
@Controller('users/me')
export class UsersController {
  constructor(
    private readonly accounts: AccountService,
    private readonly repository: AccountRepository,
    private readonly links: TelegramLinkCodes,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The own account' })
  @JsonResponse(200, 'Account', 'the account')
  async me(@Caller() caller: SessionPrincipal): Promise<AccountView> {
    return accountView(await this.existing(caller));
  }

  @Patch()
  @ApiOperation({ summary: 'Change name, email or password', description: 'A new email or password needs `currentPassword`; a new password signs out every other session.' })
  @JsonBody('UpdateMeRequest')
  @JsonResponse(200, 'Account', 'the changed account')
  @ApiErrors(400, 403, 409, 413, 415)
  async update(@Caller() caller: SessionPrincipal, @Body(new ZodPipe(UpdateMeRequest)) body: z.output<typeof UpdateMeRequest>): Promise<AccountView> {
    return accountView(await this.accounts.updateProfile(caller, body));
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete the own account',
    description: 'Needs the password. The account, its sessions (so its access and refresh tokens at once) and all its questions are deleted for good.',
  })
  @JsonBody('DeleteMeRequest')
  @ApiResponse({ status: 204, description: 'deleted (no body)' })
  @ApiErrors(400, 403, 413, 415)
  async delete(@Caller() caller: SessionPrincipal, @Body(new ZodPipe(DeleteMeRequest)) body: z.output<typeof DeleteMeRequest>): Promise<void> {
    await this.accounts.deleteAccount(caller, body.password);
  }

  @Post('telegram-link')
  @ApiOperation({
    summary: 'Get a code to link Telegram',
    description: 'A one-time code (valid TELEGRAM_LINK_TTL_SECONDS, 10 minutes by default; a new code replaces the last). Send `/link <code>` to the bot in a private chat to attach that Telegram account: budgets and usage are then shared with the bot.',
  })
  @JsonResponse(201, 'TelegramLinkCode', 'the code')
  async linkCode(@Caller() caller: SessionPrincipal): Promise<{ code: string; command: string; expiresAt: string }> {
    const { code, expiresAt } = await this.links.create(caller.userId);
    return { code, command: `/link ${code}`, expiresAt: expiresAt.toISOString() };
  }

  @Delete('telegram-link')
  @ApiOperation({ summary: 'Unlink Telegram' })
  @JsonResponse(200, 'Account', 'the account, without a Telegram user')
  async unlink(@Caller() caller: SessionPrincipal): Promise<AccountView> {
    const account = await this.repository.unlinkTelegram(caller.userId);
    if (!account) throw new AuthError('invalid_token', 'invalid or expired access token');
    return accountView(account);
  }

  private async existing(caller: SessionPrincipal) {
    const account = await this.repository.findById(caller.userId);
    if (!account) throw new AuthError('invalid_token', 'invalid or expired access token');
    return account;
  }
}
