import { tokenize } from '../text/tokenize.js';
import { NEGATION_WINDOW, NEGATIVE_EN, NEGATIVE_ZH, NEGATORS_EN, NEGATORS_ZH, POSITIVE_EN, POSITIVE_ZH } from './sentiment-lexicon.js';

const POLARITY_EN = new Map<string, number>([...POSITIVE_EN.map((w) => [w, 1] as const), ...NEGATIVE_EN.map((w) => [w, -1] as const)]);
const NEGATES_EN = new Set(NEGATORS_EN);
const POLARITY_ZH = new Map<string, number>([...POSITIVE_ZH.map((w) => [w, 1] as const), ...NEGATIVE_ZH.map((w) => [w, -1] as const)]);
const NEGATES_ZH = new Set(NEGATORS_ZH);
const LONGEST_ZH = Math.max(...[...POLARITY_ZH.keys()].map((w) => w.length));
const HAN = /\p{Script=Han}/u;

/** Counts of positive and negative lexicon hits in a text (after negation). */
export interface SentimentHits {
  positive: number;
  negative: number;
}

/**
 * Lexicon hits in English and Chinese text (mixed text is fine): English by tokens with negation over
 * the next few tokens, Chinese by longest match with a one-character negator before the word.
 *
 * @example sentimentHits('Poor quality, would not recommend.') // { positive: 0, negative: 2 }
 */
export function sentimentHits(text: string): SentimentHits {
  const hits = { positive: 0, negative: 0 };
  const add = (polarity: number) => (polarity > 0 ? hits.positive++ : hits.negative++);
  let negateFor = 0;
  for (const token of tokenize(text)) {
    const polarity = POLARITY_EN.get(token);
    if (polarity !== undefined) {
      add(negateFor > 0 ? -polarity : polarity);
      negateFor = 0;
    } else if (NEGATES_EN.has(token)) {
      negateFor = NEGATION_WINDOW;
    } else if (negateFor > 0) {
      negateFor--;
    }
  }
  if (HAN.test(text)) scanChinese(text, add);
  return hits;
}

function scanChinese(text: string, add: (polarity: number) => void): void {
  let i = 0;
  while (i < text.length) {
    let matched = 0;
    for (let len = Math.min(LONGEST_ZH, text.length - i); len > 0; len--) {
      const polarity = POLARITY_ZH.get(text.slice(i, i + len));
      if (polarity === undefined) continue;
      // 不/没 right before a word flips it, unless the word itself starts with one (不错, 不值 are words).
      const negated = i > 0 && NEGATES_ZH.has(text[i - 1]!) && !NEGATES_ZH.has(text[i]!);
      add(negated ? -polarity : polarity);
      matched = len;
      break;
    }
    i += matched || 1;
  }
}

/**
 * A review's sentiment in −1…1: (positive − negative) / (positive + negative) of its lexicon hits;
 * undefined when the text has none (no evidence either way, so it does not pull the mean to 0).
 *
 * @example sentimentScore('质量很好，物流很快') // 1
 * @example sentimentScore('It arrived on Tuesday') // undefined
 */
export function sentimentScore(text: string): number | undefined {
  const { positive, negative } = sentimentHits(text);
  return positive + negative === 0 ? undefined : (positive - negative) / (positive + negative);
}
