import { countTokens, truncateToTokens } from '@kraken/llm';
import type { KbHit } from './kb-types';

/** A citation as shown to people and to the model: `📎 Rules, §3`. */
export const citationOf = (hit: Pick<KbHit, 'title' | 'ordinal'>): string => `📎 ${hit.title}, §${hit.ordinal}`;

/** Knowledge-base material for an answer's prompt. */
export interface KnowledgeBlock {
  /** Text for the prompt (excerpts with their citations, instructions); '' when nothing fits. */
  text: string;
  /** Citations of the excerpts included, best first, without repeats. */
  citations: string[];
  /** Tokens of `text`. */
  tokens: number;
}

const HEADER = 'Knowledge base of this community: the excerpts below. Answer from them when they cover the question, and say which excerpt you used by its 📎 label.';

/**
 * The instruction used when the chat has a knowledge base but nothing in it matches the question:
 * the model must not invent community facts and must say it does not know.
 */
export const NO_KNOWLEDGE_INSTRUCTION =
  "The community's knowledge base has nothing on this message. If it asks for a fact (rules, dates, prices, places, names, how-tos) that the visible chat does not state, reply only that you do not know (in the message's language, e.g. «Не знаю» / \"I don't know\"); never guess or invent. Small talk may be answered normally.";

/**
 * Formats hits for the prompt, best first, within `budgetTokens` (counted with gpt-tokenizer for
 * `model`): each excerpt is `[📎 Title, §n] heading` and its text; the last one that does not fit whole
 * is cut with `…`, the rest left out.
 */
export function knowledgeBlock(hits: readonly KbHit[], model: string, budgetTokens: number): KnowledgeBlock {
  const lines = [HEADER];
  const citations: string[] = [];
  let used = countTokens(HEADER, model);
  for (const hit of hits) {
    const label = `[${citationOf(hit)}]${hit.heading ? ` ${hit.heading}` : ''}`;
    const head = countTokens(`\n\n${label}\n`, model);
    const room = budgetTokens - used - head;
    if (room < 20) break;
    const body = truncateToTokens(hit.content, model, room);
    lines.push('', label, body);
    used += head + countTokens(body, model);
    if (!citations.includes(citationOf(hit))) citations.push(citationOf(hit));
  }
  if (citations.length === 0) return { text: '', citations: [], tokens: 0 };
  const text = lines.join('\n');
  return { text, citations, tokens: countTokens(text, model) };
}

/** Appends the citations line to an answer (Markdown), unless the model already wrote each of them. */
export function withCitations(answer: string, citations: readonly string[]): string {
  const missing = citations.filter((c) => !answer.includes(c.replace('📎 ', '')));
  const all = missing.length ? citations : [];
  return all.length ? `${answer.trim()}\n\n${all.join(' · ')}` : answer;
}
