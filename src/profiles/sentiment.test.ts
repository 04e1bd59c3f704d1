import { describe, expect, it } from 'vitest';
import { REVIEW_PHRASES } from '../simulate/vocabulary/reviews.js';
import { sentimentHits, sentimentScore } from './sentiment.js';

describe('review sentiment lexicon', () => {
  it('scores English with negation over the next few words', () => {
    expect(sentimentHits('Great quality, very well made.')).toEqual({ positive: 2, negative: 0 });
    expect(sentimentScore('Poor quality, would not recommend.')).toBe(-1);
    expect(sentimentScore("I don't love it but it works")).toBe(0);
    expect(sentimentScore('It arrived on Tuesday')).toBeUndefined();
  });

  it('scores Chinese by longest match, with compounds that contain a negator and one-character negation', () => {
    expect(sentimentScore('质量很好，物流很快')).toBe(1);
    expect(sentimentScore('不错')).toBe(1);
    expect(sentimentScore('不推荐，不值这个钱')).toBe(-1);
    expect(sentimentHits('没满意')).toEqual({ positive: 0, negative: 1 });
    expect(sentimentScore('今天星期二')).toBeUndefined();
  });

  it('scores mixed text in both languages', () => {
    expect(sentimentHits('very happy 很满意')).toEqual({ positive: 2, negative: 0 });
  });

  it('agrees in sign with the simulator’s positive and negative review sentences in both languages', () => {
    for (const lang of ['zh', 'en'] as const) {
      for (const text of REVIEW_PHRASES.positive[lang]) expect(sentimentScore(text), text).toBeGreaterThan(0);
      for (const text of REVIEW_PHRASES.negative[lang]) expect(sentimentScore(text), text).toBeLessThan(0);
      // Neutral sentences mix both ("slow shipping, product fine"): on average between the two.
      const mean = (texts: readonly string[]) => texts.reduce((sum, t) => sum + (sentimentScore(t) ?? 0), 0) / texts.length;
      expect(mean(REVIEW_PHRASES.neutral[lang])).toBeLessThan(mean(REVIEW_PHRASES.positive[lang]));
      expect(mean(REVIEW_PHRASES.neutral[lang])).toBeGreaterThan(mean(REVIEW_PHRASES.negative[lang]));
    }
  });
});
