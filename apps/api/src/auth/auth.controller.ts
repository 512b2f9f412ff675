import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { accountView, AccountService, type AccountView, type TokenPair } from '@kraken/auth';
import type { z } from 'zod';
import { Public } from '../http/access';
import { RateLimited } from '../http/rate-limits';
import { ZodPipe } from '../http/request-validation';
import { ApiErrors, JsonBody, JsonResponse } from '../openapi/openapi-decorators';
import { LoginRequest, RefreshRequest, RegisterRequest } from '../openapi/schemas';

/** `/auth`: registration, login, refresh-token rotation and logout (no access token needed). */
@ApiTags('auth')
@Public()
@Controller('auth')
export class AuthController {
  constructor(private readonly accounts: AccountService) {}

  @Post('register')
  @RateLimited('register')
  @ApiOperation({ summary: 'Create an account', description: 'Email normalised (NFKC, lower case) and unique; password ≥ 10 characters, stored as argon2id. Unknown fields, `role` included, are refused.' })
  @JsonBody('RegisterRequest')
  @JsonResponse(201, 'Account', 'the new account')
  @ApiErrors(400, 409, 413, 415, 429)
  async register(@Body(new ZodPipe(RegisterRequest)) body: z.output<typeof RegisterRequest>): Promise<AccountView> {
    return accountView(await this.accounts.register(body));
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @RateLimited('login', 'login-ip')
  @ApiOperation({ summary: 'Sign in', description: 'Returns a short-lived access token and a single-use refresh token. 5 tries per email and address per 15 minutes.' })
  @JsonBody('LoginRequest')
  @JsonResponse(200, 'TokenPair', 'signed in')
  @ApiErrors(400, 401, 403, 413, 415, 429)
  login(@Body(new ZodPipe(LoginRequest)) body: z.output<typeof LoginRequest>): Promise<TokenPair> {
    return this.accounts.login(body);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Rotate a refresh token', description: 'Spends the refresh token and returns a new pair. Presenting an already-used refresh token revokes its whole session.' })
  @JsonBody('RefreshRequest')
  @JsonResponse(200, 'TokenPair', 'a new token pair')
  @ApiErrors(400, 401, 403, 413, 415)
  refresh(@Body(new ZodPipe(RefreshRequest)) body: z.output<typeof RefreshRequest>): Promise<TokenPair> {
    return this.accounts.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out', description: 'Revokes the session of the refresh token: its refresh and access tokens stop working at once.' })
  @JsonBody('RefreshRequest')
  @ApiResponse({ status: 204, description: 'signed out (no body)' })
  @ApiErrors(400, 401, 413, 415)
  async logout(@Body(new ZodPipe(RefreshRequest)) body: z.output<typeof RefreshRequest>): Promise<void> {
    await this.accounts.logout(body.refreshToken);
  }
}
