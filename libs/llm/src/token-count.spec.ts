import fc from 'fast-check';
import { countMessagesTokens, countTokens, truncateToTokens } from './token-count';

const MODELS = ['gpt-4o-mini', 'gpt-4', 'llama-3.1-8b-instant'];
/** Special tokens of cl100k_base and o200k_base, as hostile members type them. */
const SPECIAL = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|im_sep|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|endofprompt|>'];
/** Characters that take several tokens: ZWJ families, flags, skin tones, astral letters, combining marks. */
const HARD = ['👨‍👩‍👧‍👦', '🇷🇺', '👍🏽', '𝔘', '🏳️‍🌈', 'é', '😀', 'Ё', '中文', ' ', '\n'];

const graphemes = (text: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);

describe('token counting treats user text as plain text', () => {
  it.each(MODELS)('counts, cuts and counts messages holding special tokens (%s)', (model) => {
    for (const token of SPECIAL) {
      const text = `hi ${token} there ${token}`;
      expect(countTokens(text, model)).toBeGreaterThan(5);
      const cut = truncateToTokens(`${text} ${'слово '.repeat(50)}`, model, 10);
      expect(countTokens(cut, model)).toBeLessThanOrEqual(10);
      expect(countMessagesTokens([{ role: 'user', content: text }], model)).toBe(countTokens(text, model) + 6);
    }
  });

  it('never cuts inside a character or emoji, never exceeds the limit, never invents text', () => {
    const piece = fc.oneof(fc.constantFrom(...HARD, ...SPECIAL), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom('Кракен ', 'word '));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 150 }), fc.integer({ min: 0, max: 120 }), fc.constantFrom(...MODELS), (pieces, limit, model) => {
        const text = pieces.join('');
        const cut = truncateToTokens(text, model, limit);
        expect(countTokens(cut, model)).toBeLessThanOrEqual(limit);
        if (cut === text) return;
        expect(cut === '' || cut.endsWith('…')).toBe(true);
        const kept = cut.replace(/…$/, '');
        expect(text.startsWith(kept)).toBe(true);
        // The kept part ends on a grapheme boundary of the original: no half emoji, no lone surrogate.
        expect(graphemes(kept)).toEqual(graphemes(text).slice(0, graphemes(kept).length));
        expect(kept).not.toMatch(/\uFFFD/);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps as much as fits', () => {
    const text = 'Кракен знает всё про этот чат. '.repeat(100);
    const cut = truncateToTokens(text, 'gpt-4o-mini', 20);
    expect(countTokens(cut, 'gpt-4o-mini')).toBeGreaterThanOrEqual(18);
    expect(truncateToTokens('👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 'gpt-4o-mini', 12)).toBe('👨‍👩‍👧‍👦…');
  });
});
