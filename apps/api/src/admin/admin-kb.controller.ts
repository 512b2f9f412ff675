import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { KnowledgeBase, searchResultOf, type KbDocumentInfo, type KbSearchResult } from '@kraken/kb';
import type { z } from 'zod';
import { AdminOnly } from '../http/access';
import { ZodPipe } from '../http/request-validation';
import { ApiErrors, JsonBody, JsonResponse } from '../openapi/openapi-decorators';
import { AddKbDocumentRequest, KbDocumentIdParam, KbDocumentsQuery, KbSearchQuery } from '../openapi/schemas';

/** A knowledge-base document as the API returns it (see the KbDocument schema). */
type KbDocumentView = Pick<KbDocumentInfo, 'id' | 'title' | 'format' | 'chatId'> & { chunkCount: number; createdAt: string };

/** File extension that makes KnowledgeBase.addFile parse a posted `format` as the CLI and `/kb add` do. */
const EXTENSION: Record<z.output<typeof AddKbDocumentRequest>['format'], string> = { markdown: '.md', text: '.txt', html: '.html' };

const view = (d: KbDocumentInfo): KbDocumentView => ({ id: d.id, title: d.title, format: d.format, chatId: d.chatId, chunkCount: d.chunkCount, createdAt: d.createdAt.toISOString() });

/**
 * `/admin/kb`: the knowledge base for the dashboard (role `admin` only; others get 403), through the
 * same KnowledgeBase as `kraken kb` and the bot's `/kb`: parsing, sections and search are libs/kb's.
 * KbInputError (an empty or text-less document) is answered 400 by ApiExceptionFilter.
 */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@AdminOnly()
@ApiErrors(401, 403)
@Controller('admin/kb')
export class AdminKbController {
  constructor(private readonly kb: KnowledgeBase) {}

  @Get('documents')
  @ApiOperation({ summary: 'List knowledge-base documents', description: 'Without `chatId`: the documents for every chat; with it: that chat’s documents and those for every chat. Newest first.' })
  @ApiQuery({ name: 'chatId', required: false, schema: { type: 'integer' }, example: -1001234567890 })
  @JsonResponse(200, 'KbDocumentList', 'the documents')
  @ApiErrors(400)
  async list(@Query(new ZodPipe(KbDocumentsQuery)) query: z.output<typeof KbDocumentsQuery>): Promise<{ items: KbDocumentView[] }> {
    return { items: (await this.kb.list(query.chatId ?? null)).map(view) };
  }

  @Post('documents')
  @ApiOperation({
    summary: 'Add (or replace) a knowledge-base document',
    description:
      'Parsed as Markdown, plain text or HTML and split into sections on headings and paragraphs (KB_CHUNK_TOKENS). The body is limited by API_BODY_LIMIT_BYTES; larger files go through `kraken kb add` or `/kb add` in Telegram. A document with the same title and format in the same scope is replaced.',
  })
  @JsonBody('AddKbDocumentRequest')
  @JsonResponse(201, 'KbDocument', 'the stored document')
  @ApiErrors(400, 413, 415)
  async add(@Body(new ZodPipe(AddKbDocumentRequest)) body: z.output<typeof AddKbDocumentRequest>): Promise<KbDocumentView> {
    const added = await this.kb.addFile(Buffer.from(body.content, 'utf8'), `${body.title}${EXTENSION[body.format]}`, { chatId: body.chatId ?? null, title: body.title });
    const stored = await this.kb.get(added.id);
    if (!stored) throw new NotFoundException('the document was removed meanwhile');
    return view(stored);
  }

  @Delete('documents/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a knowledge-base document', description: 'With its sections (and their embeddings).' })
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1 }, example: 7 })
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiErrors(400, 404)
  async remove(@Param('id', new ZodPipe(KbDocumentIdParam)) id: number): Promise<void> {
    if (!(await this.kb.remove(id))) throw new NotFoundException(`no document #${id}`);
  }

  @Get('search')
  @ApiOperation({
    summary: 'What retrieval finds for a question',
    description:
      'Full-text search (fused with embeddings when KB_EMBEDDINGS_MODEL and pgvector are available) over the documents of `chatId` and those for every chat (without `chatId`: only the latter). Best first; any text is safe (`&`, `|`, `!`, `:*` are plain characters). Same results as `kraken kb search --json`.',
  })
  @ApiQuery({ name: 'q', required: true, schema: { type: 'string', minLength: 1, maxLength: 8000 }, example: 'Can I post an advert?' })
  @ApiQuery({ name: 'chatId', required: false, schema: { type: 'integer' }, example: -1001234567890 })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 } })
  @JsonResponse(200, 'KbSearchResults', 'the best sections, best first')
  @ApiErrors(400)
  async search(@Query(new ZodPipe(KbSearchQuery)) query: z.output<typeof KbSearchQuery>): Promise<KbSearchResult[]> {
    return (await this.kb.search(query.q, query.chatId ?? null, query.limit)).map(searchResultOf);
  }
}
