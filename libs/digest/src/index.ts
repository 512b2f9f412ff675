/**
 * @kraken/digest — the monthly digest of a chat.
 *
 * - `DigestComposer`: statistics, ten headlines from DIGEST_MODEL (or from the numbers), best memes,
 *   activity chart → `DigestContent`;
 * - `DigestStore`: Digest rows (one per chat, month and revision: forced re-posts are new revisions)
 *   claimed with one UPDATE, step markers for exactly-once publishing;
 * - `DigestHeadlineStore`: the LLM's headlines under a hash of the exact request, reused when the same
 *   month and data are composed again (publish after preview);
 * - `isFinishedMonth`: only finished months have a digest;
 * - `parseHeadlines`, `fallbackHeadlines`, `renderDigestPost`, `renderActivityChart`,
 *   `collectMaterial` / `renderMaterial`, `loadDigestPrompt`: the pieces, usable on their own.
 */
export * from './headline-parser';
export * from './fallback-headlines';
export * from './digest-texts';
export * from './month-change';
export * from './post-parts';
export * from './digest-post';
export * from './frequent-words';
export * from './finished-month';
export * from './digest-material';
export * from './digest-prompt';
export * from './daily-activity';
export * from './activity-chart';
export * from './digest-composer';
export * from './digest-store';
export * from './headline-store';
export * from './tick-month';
