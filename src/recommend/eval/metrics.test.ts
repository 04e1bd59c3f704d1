import { describe, expect, it } from 'vitest';
import { BeyondAccuracy, gini, rankingMetrics, userAuc } from './metrics.js';

describe('ranking metrics', () => {
  it('match a hand computation', () => {
    // Hits at ranks 2 and 4 of 5; three relevant items.
    const m = rankingMetrics([9, 2, 8, 7, 6], new Set([2, 7, 1]), 5);
    expect(m.precision).toBeCloseTo(2 / 5);
    expect(m.recall).toBeCloseTo(2 / 3);
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(m.ndcg).toBeCloseTo(dcg / idcg);
    expect(m.map).toBeCloseTo((1 / 2 + 2 / 4) / 3);
    expect(m.hit).toBe(1);
    expect(m.mrr).toBeCloseTo(1 / 2);
  });

  it('are zero without hits and perfect for a perfect list', () => {
    expect(rankingMetrics([1, 2], new Set([5]), 2)).toEqual({ precision: 0, recall: 0, ndcg: 0, map: 0, hit: 0, mrr: 0 });
    const perfect = rankingMetrics([5, 6, 1], new Set([5, 6]), 3);
    expect(perfect.ndcg).toBeCloseTo(1);
    expect(perfect.map).toBeCloseTo(1);
  });

  it('AUC counts ties half and skips non-candidates', () => {
    const scores = new Float32Array([0.9, 0.1, 0.5, 0.5, 0.0]);
    // Relevant 2 (0.5) vs negatives 0 (0.9), 1 (0.1), 3 (0.5, a tie); item 4 is not a candidate.
    expect(userAuc(scores, new Set([2]), (i) => i !== 4)).toBeCloseTo((0 + 1 + 0.5) / 3);
  });
});

describe('beyond accuracy', () => {
  it('measures coverage, novelty, diversity and gini', () => {
    const popularity = new Float64Array([8, 4, 2, 1]);
    const category = [0, 0, 1, 1];
    const b = new BeyondAccuracy(4, popularity, 8, (x, y) => category[x] !== category[y]);
    b.add([0, 1]);
    b.add([0, 2]);
    const r = b.result();
    expect(r.coverage).toBeCloseTo(3 / 4);
    expect(r.diversity).toBeCloseTo(0.5);
    expect(r.novelty).toBeCloseTo((0 + 1 + 0 + 2) / 4);
    expect(r.gini).toBeGreaterThan(0);
    expect(gini(new Float64Array([3, 3, 3]))).toBeCloseTo(0);
    expect(gini(new Float64Array([0, 0, 0, 9]))).toBeCloseTo(0.75);
  });
});
