import { countMessagesTokens, countTokens, truncateToTokens, type LlmMessage } from '@kraken/llm';
import type { AssistantTurn } from './session.repository';

/** The prompt of one question in a session. */
export interface SessionPrompt {
  messages: LlmMessage[];
  /** Prompt tokens (gpt-tokenizer, chat format overhead included). */
  promptTokens: number;
  /** Oldest turns left out so that prompt plus output fit the window. */
  droppedTurns: number;
}

/**
 * The chat-completions messages of a question in a session: the system prompt, the session's turns
 * (oldest first) and the question. When prompt plus `maxOutputTokens` would pass `contextWindow`, the
 * oldest turns are left out (a user turn with its answer); as a last resort the question itself is
 * cut. A request built here never exceeds the window as gpt-tokenizer counts it.
 */
export function buildSessionPrompt(input: {
  system: string;
  turns: readonly AssistantTurn[];
  question: string;
  model: string;
  contextWindow: number;
  maxOutputTokens: number;
}): SessionPrompt {
  const room = Math.max(1, input.contextWindow - input.maxOutputTokens);
  const history: LlmMessage[] = input.turns.map((t) => ({ role: t.role, content: t.text }));
  const compose = (question: string): LlmMessage[] => [{ role: 'system', content: input.system }, ...history, { role: 'user', content: question }];
  let messages = compose(input.question);
  let tokens = countMessagesTokens(messages, input.model);
  let dropped = 0;
  while (tokens > room && history.length > 0) {
    // Whole exchanges go: the oldest turn and, when it is a question, its answer.
    const removed = history.shift()!;
    dropped++;
    if (removed.role === 'user' && history[0]?.role === 'assistant') {
      history.shift();
      dropped++;
    }
    messages = compose(input.question);
    tokens = countMessagesTokens(messages, input.model);
  }
  if (tokens > room) {
    const over = tokens - room;
    const question = truncateToTokens(input.question, input.model, Math.max(1, countTokens(input.question, input.model) - over));
    messages = compose(question);
    tokens = countMessagesTokens(messages, input.model);
  }
  return { messages, promptTokens: tokens, droppedTurns: dropped };
}

/** Tokens a session holds: its system prompt and turns in chat format (what its next prompt starts with). */
export function sessionTokens(system: string, turns: readonly AssistantTurn[], model: string): number {
  return countMessagesTokens([{ role: 'system', content: system }, ...turns.map((t) => ({ role: t.role, content: t.text }))], model);
}

/** Longest auto-title, in characters. */
export const TITLE_MAX_CHARS = 48;

/** A session title from its first question: the first line, whitespace collapsed, cut on a word boundary with `…`. */
export function titleFrom(question: string): string {
  const line = question.split('\n').find((l) => l.trim())?.replace(/\s+/g, ' ').trim() ?? '';
  if ([...line].length <= TITLE_MAX_CHARS) return line || '…';
  const cut = [...line].slice(0, TITLE_MAX_CHARS - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_MAX_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
