import { z } from 'zod';

/** Most topics a recap lists. */
export const MAX_TOPICS = 7;
/** Most message links per topic. */
export const MAX_LINKS = 5;

/** One topic of a recap. */
export interface RecapTopic {
  title: string;
  summary: string;
  /** Message ids the topic is about, as the model cited them (not yet checked against the window). */
  messages: number[];
  people: string[];
}

/** What the model returns (and what partial summaries hold in map-reduce). */
export interface RecapSummary {
  topics: RecapTopic[];
  openQuestions: string[];
}

const ids = z.array(z.union([z.number(), z.string()])).catch([]).transform((values) =>
  values.map((v) => Number(String(v).replace(/^#/, ''))).filter((n) => Number.isSafeInteger(n) && n > 0),
);
const strings = z.array(z.unknown()).catch([]).transform((values) => values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()));
const SummarySchema = z.object({
  topics: z
    .array(
      z.object({
        title: z.string().catch(''),
        summary: z.string().catch(''),
        messages: ids.default([]),
        people: strings.default([]),
      }),
    )
    .catch([]),
  open_questions: strings.default([]),
});

/**
 * Reads the model's JSON (the object between the first `{` and the last `}`, so Markdown fences or a
 * sentence around it do not matter). Fields of the wrong type are dropped, not fatal.
 * @returns null when there is no JSON object with a `topics` list
 */
export function parseRecapSummary(text: string): RecapSummary | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { topics?: unknown }).topics)) return null;
  const parsed = SummarySchema.parse(raw);
  return {
    topics: parsed.topics.filter((t) => t.title || t.summary).map((t) => ({ title: t.title.trim(), summary: t.summary.trim(), messages: t.messages, people: t.people })),
    openQuestions: parsed.open_questions,
  };
}

/** A summary as compact JSON in the model's format (for the reduce step). */
export function summaryJson(summary: RecapSummary): string {
  return JSON.stringify({ topics: summary.topics, open_questions: summary.openQuestions });
}
