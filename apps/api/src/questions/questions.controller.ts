import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { QuestionView, SessionPrincipal } from '@kraken/auth';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { Caller } from '../http/access';
import { RateLimited } from '../http/rate-limits';
import { ZodPipe } from '../http/request-validation';
import { ApiErrors, JsonBody, JsonResponse, ref } from '../openapi/openapi-decorators';
import { AskRequest, IdParam } from '../openapi/schemas';
import { QuestionsService } from './questions.service';
import { sendEvent, startEventStream, wantsEventStream } from './sse';

/** An example of the event stream of POST /questions. */
const STREAM_EXAMPLE = 'event: delta\ndata: {"text":"Issue "}\n\nevent: delta\ndata: {"text":"a new one…"}\n\nevent: done\ndata: {"id":"…","question":"…","answer":"Issue a new one…",…}\n\n';

/** `/questions`: ask (JSON or server-sent events), the last 3, one by id. */
@ApiTags('questions')
@ApiBearerAuth('bearer')
@ApiErrors(401)
@Controller('questions')
export class QuestionsController {
  constructor(private readonly questions: QuestionsService) {}

  @Post()
  @RateLimited('ask')
  @ApiOperation({
    summary: 'Ask a question',
    description:
      'Answers through the configured LLM providers (with fallback). With `Accept: text/event-stream` the answer streams as server-sent events: `delta` events `{"text": …}`, then `done` with the stored question (or `error` with the error body when the providers fail midway); a refusal before the first piece is a plain JSON error. The worst-case cost is reserved on the daily/monthly budgets first (429 with Retry-After when used up).',
  })
  @JsonBody('AskRequest')
  @ApiProduces('application/json', 'text/event-stream')
  @ApiResponse({ status: 201, description: 'the answered question (JSON)', content: { 'application/json': { schema: ref('Question') } } })
  @ApiResponse({ status: 200, description: 'the answer as server-sent events (Accept: text/event-stream)', content: { 'text/event-stream': { schema: { type: 'string' }, example: STREAM_EXAMPLE } } })
  @ApiErrors(400, 413, 415, 429, 503)
  async ask(
    @Caller() caller: SessionPrincipal,
    @Body(new ZodPipe(AskRequest)) body: z.output<typeof AskRequest>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!wantsEventStream(req.headers.accept)) {
      res.status(201).json(await this.questions.ask(caller, body));
      return;
    }
    const aborter = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    try {
      // The stream starts with the first piece: a refusal before it (budget, no provider) is a plain JSON error.
      const question = await this.questions.ask(caller, body, {
        delta: (text) => {
          if (!res.headersSent) startEventStream(res);
          sendEvent(res, 'delta', { text });
        },
        signal: aborter.signal,
      });
      if (!res.headersSent) startEventStream(res);
      sendEvent(res, 'done', question);
      res.end();
    } catch (error) {
      // The client went away: nobody is left to answer (the service billed what was generated).
      if (aborter.signal.aborted) return;
      throw error;
    }
  }

  @Get()
  @ApiOperation({ summary: 'The own last 3 questions', description: 'Newest first, with their answers.' })
  @JsonResponse(200, 'QuestionList', 'up to 3 questions')
  async history(@Caller() caller: SessionPrincipal): Promise<{ items: QuestionView[] }> {
    return { items: await this.questions.history(caller) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One question', description: 'Your own (someone else’s is 404, not 403); admins may read any.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @JsonResponse(200, 'Question', 'the question')
  @ApiErrors(400, 404)
  get(@Caller() caller: SessionPrincipal, @Param('id', new ZodPipe(IdParam)) id: string): Promise<QuestionView> {
    return this.questions.get(caller, id);
  }
}
