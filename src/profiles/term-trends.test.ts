import { describe, expect, it } from 'vitest';
import { TermTrends } from './term-trends.js';

const T0 = Date.UTC(2026, 0, 5, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** `perBucket` texts of `terms` every 5 minutes from `from` to `to`. */
function feed(trends: TermTrends, terms: string[], from: number, to: number, perBucket = 1): void {
  for (let t = from; t < to; t += 5 * MIN) for (let i = 0; i < perBucket; i++) trends.add(terms, t + i);
}

describe('TermTrends', () => {
  it('compares a term’s share of the window with its background share', () => {
    const trends = new TermTrends();
    // 2 h of background: 'guitar' and 'strings' once each per bucket (48 tokens), then 1 h window:
    // 'guitar' 10× per bucket, 'strings' still once.
    feed(trends, ['guitar', 'strings'], T0, T0 + 2 * HOUR);
    feed(trends, ['guitar'], T0 + 2 * HOUR, T0 + 3 * HOUR, 10);
    feed(trends, ['strings'], T0 + 2 * HOUR, T0 + 3 * HOUR);
    const [guitar, ...rest] = trends.trending({ at: T0 + 3 * HOUR - 1, minBackgroundTokens: 10, minRatio: 1.5 });
    // window: 120 guitar + 12 strings = 132 tokens; background: guitar 24 of 48 tokens → expected 66.
    expect(guitar).toMatchObject({ term: 'guitar', count: 120, firstSeen: T0 });
    expect(guitar!.expected).toBeCloseTo(66, 9);
    expect(guitar!.ratio).toBeCloseTo(120 / 67, 9);
    expect(rest).toEqual([]); // strings fell from half the traffic to a tenth
  });

  it('lets a term never seen before trend once it has minCount occurrences, given a background', () => {
    const trends = new TermTrends();
    feed(trends, ['earbuds', 'wireless', 'case', 'bluetooth'], T0, T0 + 6 * HOUR, 50);
    for (let i = 0; i < 9; i++) trends.add(['zorbapods'], T0 + 6 * HOUR + i * MIN);
    expect(trends.trending()).toEqual([]); // 9 < minCount 10
    trends.add(['zorbapods'], T0 + 6 * HOUR + 9 * MIN);
    expect(trends.trending()).toEqual([{ term: 'zorbapods', count: 10, expected: 0, ratio: 10, firstSeen: T0 + 6 * HOUR }]);
    // A quiet shop has no baseline: nothing trends.
    const fresh = new TermTrends();
    for (let i = 0; i < 20; i++) fresh.add(['zorbapods'], T0 + i * MIN);
    expect(fresh.trending()).toEqual([]);
  });

  it('does not flag busier traffic: every term twice as often keeps its share', () => {
    const trends = new TermTrends();
    feed(trends, ['a1', 'b1', 'c1'], T0, T0 + 4 * HOUR, 20);
    feed(trends, ['a1', 'b1', 'c1'], T0 + 4 * HOUR, T0 + 5 * HOUR, 40);
    expect(trends.trending({ minRatio: 1.01 })).toEqual([]);
  });

  it('folds buckets older than the horizon into a decaying background, and late events too', () => {
    const trends = new TermTrends({ horizonMs: 2 * HOUR, backgroundHalfLifeMs: 24 * HOUR });
    feed(trends, ['old'], T0, T0 + HOUR, 10); // 120 occurrences
    expect(trends.recentCount('old')).toBe(120);
    trends.add(['now'], T0 + 3 * HOUR + 30 * MIN);
    expect(trends.recentCount('old')).toBe(0);
    // A late event (outside the horizon) goes straight to the background.
    trends.add(['late'], T0);
    expect(trends.recentCount('late')).toBe(0);
    // 25 h later the background has about halved: 'old' in the window now compares against ~60 of ~61.
    const at = T0 + 25 * HOUR - 1;
    for (let i = 0; i < 100; i++) trends.add(['filler'], at - HOUR + 1 + i);
    for (let i = 0; i < 20; i++) trends.add(['old'], at - 30 * MIN + i);
    const old = trends.trending({ at, minBackgroundTokens: 1, minRatio: 0 }).find((x) => x.term === 'old')!;
    // Expired buckets enter the background at their end time; a late event at its own time.
    const decay = (t: number) => Math.pow(2, -(at - t) / (24 * HOUR));
    const oldBg = Array.from({ length: 12 }, (_, b) => 10 * decay(T0 + (b + 1) * 5 * MIN)).reduce((x, y) => x + y);
    const bgTokens = oldBg + decay(T0) + decay(T0 + 3 * HOUR + 35 * MIN);
    expect(old.count).toBe(20);
    expect(old.expected).toBeCloseTo((120 * oldBg) / bgTokens, 6);
    expect(old.ratio).toBeCloseTo(20 / (old.expected + 1), 9);
  });

  it('forgets terms absent from the horizon when full', () => {
    const trends = new TermTrends({ horizonMs: HOUR, maxTerms: 100 });
    for (let i = 0; i < 100; i++) trends.add([`t${i}`], T0);
    trends.add(['recent'], T0 + 2 * HOUR);
    expect(trends.size).toBeLessThanOrEqual(100);
    expect(trends.recentCount('recent')).toBe(1);
  });

  it('rejects a bucket wider than the horizon', () => {
    expect(() => new TermTrends({ bucketMs: HOUR, horizonMs: MIN })).toThrow(/horizonMs/);
  });
});
