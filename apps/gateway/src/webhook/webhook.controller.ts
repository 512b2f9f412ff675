import { BadRequestException, Body, Controller, HttpCode, Post, ServiceUnavailableException } from '@nestjs/common';
import { EnqueueFailedError } from '../updates/update-jobs-flusher.service';
import { IngestService, NotAnUpdateError } from '../updates/ingest.service';

/** Path Telegram posts updates to (behind the reverse proxy that terminates HTTPS). */
export const WEBHOOK_ROUTE = 'telegram/webhook';

/**
 * The webhook endpoint. In order: 401 without the secret (webhookSecretCheck, before the body is
 * read); 413 over WEBHOOK_MAX_BODY_BYTES and 400 for invalid JSON (body parser); 400 for bodies that
 * are not updates; 200 once the update's jobs are in Redis, or when it was ignored (a kind Kraken does
 * not use, or a malformed update: ignoreMalformedUpdates); 503 when Redis refused the jobs, so
 * Telegram redelivers and nothing acknowledged is lost.
 */
@Controller(WEBHOOK_ROUTE)
export class WebhookController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(200)
  async receive(@Body() body: unknown): Promise<{ ok: true }> {
    try {
      await this.ingest.ingest(body);
      return { ok: true };
    } catch (error) {
      if (error instanceof NotAnUpdateError) throw new BadRequestException(`not a Telegram update: ${error.message}`);
      if (error instanceof EnqueueFailedError) throw new ServiceUnavailableException('queue unavailable, retry later');
      throw error;
    }
  }
}
