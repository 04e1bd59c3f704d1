import { describe, expect, it } from 'vitest';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { SampledSoftmaxFeeds, sampledSoftmaxLoss } from './sampled-softmax.js';

describe('sampledSoftmaxLoss', () => {
  it('is the weighted mean cross-entropy of the positive against the non-colliding negatives', async () => {
    const g = new Graph();
    const loss = sampledSoftmaxLoss(g, g.input('h', [3, 2]), g.input('pos', [3, 2]), g.input('neg', [2, 2]), g.input('col', [3, 2]), g.input('w', [3]));
    const [value] = await new CpuExecutor(g, [loss]).run(
      // States (2, 1), (1, 1) and a padded one; positive rows (1, 0); negatives (0.5, 0) and (−1, 1).
      { h: Float32Array.of(2, 1, 1, 1, 9, 9), pos: Float32Array.of(1, 0, 1, 0, 0, 0), neg: Float32Array.of(0.5, 0, -1, 1), col: Float32Array.of(0, 0, 0, 1, 0, 0), w: Float32Array.of(1, 1, 0) },
      {},
    );
    // Row 1: logits 2 | 1, −1; row 2: logits 1 | 0.5 (its second negative is its own item); row 3 is padding.
    const row1 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(1) + Math.exp(-1)));
    const row2 = -Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(0.5)));
    expect(value![0]).toBeCloseTo((row1 + row2) / 2, 5);
  });
});

describe('SampledSoftmaxFeeds', () => {
  it('masks padding and marks negatives that are the position’s own next item', () => {
    const feeds = new SampledSoftmaxFeeds(4, 3, 'test');
    const { mask, collisions } = feeds.fill({ sequences: [0, 1, 2, 3], positives: [0, 2, 3, 4], negatives: [3, 5, 2] });
    expect(Array.from(mask)).toEqual([0, 1, 1, 1]);
    expect(Array.from(collisions)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('refuses batches of the wrong size, items without a next item and all-padding batches', () => {
    const feeds = new SampledSoftmaxFeeds(2, 1, 'test');
    expect(() => feeds.fill({ sequences: [1], positives: [2], negatives: [3] })).toThrow(/2 sequence and positive ids and 1 negatives/);
    expect(() => feeds.fill({ sequences: [1, 2], positives: [2, 0], negatives: [3] })).toThrow(/position 1 holds an item but no next item/);
    expect(() => feeds.fill({ sequences: [0, 0], positives: [0, 0], negatives: [3] })).toThrow(/at least one position/);
  });
});
