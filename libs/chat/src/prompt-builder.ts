import { createHash } from 'node:crypto';
import { countMessagesTokens, countTokens, truncateToTokens, type LlmMessage } from '@kraken/llm';
import { formatEntry, type ContextEntry } from './context-entry';
import { normalizeQuestion } from './question';

/** What buildPrompt needs. */
export interface PromptInput {
  /** System prompt text (the persona file). */
  persona: string;
  /** The triggering message. */
  trigger: ContextEntry;
  /** The message the trigger replies to, if any. */
  replyTo?: ContextEntry;
  /** The chat's context, newest first (ContextStore.newestFirst); read only as far as the budget allows. */
  context: AsyncIterable<ContextEntry> | Iterable<ContextEntry>;
  /** Model the tokens are counted for (gpt-tokenizer). */
  model: string;
  /** Most prompt tokens in total, chat-format overhead included (CHAT_PROMPT_BUDGET_TOKENS). */
  budgetTokens: number;
  /** Most tokens of one context message's text; longer ones are cut with `…` (CHAT_MESSAGE_MAX_TOKENS). */
  messageMaxTokens: number;
  /** Time zone of the `HH:MM` times in the prompt. */
  tz: string;
  /** Bot-name matcher (botNamePattern), for the normalized question. */
  names: RegExp;
  /** Chat title for the system prompt, if any. */
  chatTitle?: string;
  /**
   * Knowledge-base material (excerpts with their citations, or the "say you do not know" instruction),
   * already cut to its own budget by the caller; sent before the replied-to and triggering messages
   * and part of the cache key.
   */
  knowledge?: string;
  /** Current time, ms. */
  now: number;
}

/** An assembled prompt. */
export interface BuiltPrompt {
  messages: LlmMessage[];
  /** Prompt tokens (gpt-tokenizer, chat overhead included); never above the budget. */
  promptTokens: number;
  /** Ids of the context messages included, newest first. */
  contextIds: number[];
  /**
   * Completion-cache key: normalized question + SHA-256 of the context that was sent, not counting
   * bot messages (Kraken's earlier answers) and earlier copies of the same question, so asking again
   * hits the cache while anything new said by people misses it.
   */
  cacheKey: string;
}

/** Share of the budget the triggering message may take at most. */
const TRIGGER_SHARE = 0.3;
/** Share of the budget the replied-to message may take at most. */
const REPLY_SHARE = 0.15;

const CONTEXT_HEADER = 'Recent chat messages (oldest first; #id, time, sender):';
const REPLY_HEADER = 'The message being replied to:';
const TRIGGER_HEADER = 'Answer this message (write in the language it is written in):';

/**
 * Builds the chat-completion messages for an answer: system = persona + time and chat line; user =
 * recent context (as much as fits, newest kept first, each message cut to `messageMaxTokens`), the
 * knowledge-base material if any, the replied-to message, then the triggering message. Whatever the chat's volume, the result stays within
 * `budgetTokens`, counted with gpt-tokenizer for `model` exactly as sent.
 */
export async function buildPrompt(input: PromptInput): Promise<BuiltPrompt> {
  const { model, budgetTokens: budget, tz } = input;
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'full', timeStyle: 'short' }).format(new Date(input.now));
  let system = `${input.persona.trim()}\n\nNow: ${time} (${tz}).${input.chatTitle ? ` Chat: «${input.chatTitle}».` : ''}`;
  // A persona longer than half the budget is cut, so a question always fits.
  system = truncateToTokens(system, model, Math.floor(budget / 2));

  const triggerLine = formatEntry(input.trigger, tz, truncateToTokens(input.trigger.text, model, Math.floor(budget * TRIGGER_SHARE)));
  const replyLine = input.replyTo
    ? formatEntry(input.replyTo, tz, truncateToTokens(input.replyTo.text, model, Math.floor(budget * REPLY_SHARE)))
    : undefined;
  const compose = (lines: string[]): LlmMessage[] => {
    const sections = [];
    if (lines.length) sections.push(`${CONTEXT_HEADER}\n${[...lines].reverse().join('\n')}`);
    if (input.knowledge) sections.push(input.knowledge);
    if (replyLine) sections.push(`${REPLY_HEADER}\n${replyLine}`);
    sections.push(`${TRIGGER_HEADER}\n${triggerLine}`);
    return [
      { role: 'system' as const, content: system },
      { role: 'user' as const, content: sections.join('\n\n') },
    ];
  };

  const skip = new Set([input.trigger.id, input.replyTo?.id]);
  const lines: string[] = [];
  const included: ContextEntry[] = [];
  let used = countMessagesTokens(compose([]), model) + countTokens(`${CONTEXT_HEADER}\n\n\n`, model);
  for await (const entry of input.context) {
    if (skip.has(entry.id)) continue;
    const line = formatEntry(entry, tz, truncateToTokens(entry.text, model, input.messageMaxTokens));
    const cost = countTokens(line, model) + 1;
    if (used + cost > budget) break;
    used += cost;
    lines.push(line);
    included.push(entry);
  }
  // Token counts of joined text can differ by a token or two from the sum of the parts: check the
  // exact total and drop the oldest lines until it fits.
  let messages = compose(lines);
  let promptTokens = countMessagesTokens(messages, model);
  while (promptTokens > budget && lines.length > 0) {
    lines.pop();
    included.pop();
    messages = compose(lines);
    promptTokens = countMessagesTokens(messages, model);
  }
  // Still too long without any context (very long sender names): give up persona tokens.
  while (promptTokens > budget) {
    system = truncateToTokens(system, model, Math.max(0, countTokens(system, model) - (promptTokens - budget) - 1));
    messages = compose(lines);
    promptTokens = countMessagesTokens(messages, model);
  }

  const question = normalizeQuestion(input.trigger.text, input.names);
  const hash = createHash('sha256');
  if (input.knowledge) hash.update(`${input.knowledge}\n`);
  if (replyLine) hash.update(`${replyLine}\n`);
  for (const entry of included) {
    if (entry.isBot || normalizeQuestion(entry.text, input.names) === question) continue;
    hash.update(`${entry.id}\0${entry.text}\n`);
  }
  return { messages, promptTokens, contextIds: included.map((e) => e.id), cacheKey: `${question}\n${hash.digest('hex')}` };
}
