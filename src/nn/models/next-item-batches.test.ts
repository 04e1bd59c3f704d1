import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { lastItems, NextItemBatches } from './next-item-batches.js';

describe('NextItemBatches', () => {
  const sequences = [Int32Array.of(0, 1, 2, 3), Int32Array.of(4), Int32Array.of(5, 6), Int32Array.of(7, 8, 9, 0, 1, 2)];

  it('makes one left-padded row per sequence of two or more items, inputs shifted against targets', () => {
    const batches = new NextItemBatches(sequences, 10, 4, 2);
    expect(batches.rows).toBe(3);
    expect(batches.batches).toBe(2);
    const first = batches.batch(0);
    expect(Array.from(first.sequences)).toEqual([0, 1, 2, 3, 0, 0, 0, 6]);
    expect(Array.from(first.positives)).toEqual([0, 2, 3, 4, 0, 0, 0, 7]);
    // The last batch wraps around to the first row, so it is full; long sequences keep their newest items.
    const second = batches.batch(1);
    expect(Array.from(second.sequences)).toEqual([9, 10, 1, 2, 0, 1, 2, 3]);
    expect(Array.from(second.positives)).toEqual([10, 1, 2, 3, 0, 2, 3, 4]);
  });

  it('shuffles reproducibly and samples negatives the user never touched, 0 at padding', () => {
    const a = new NextItemBatches(sequences, 10, 4, 2);
    const b = new NextItemBatches(sequences, 10, 4, 2);
    a.shuffle(new SeededRandom(5));
    b.shuffle(new SeededRandom(5));
    expect(Array.from(a.batch(0).sequences)).toEqual(Array.from(b.batch(0).sequences));
    const rng = new SeededRandom('neg');
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < a.batches; k++) {
        const { sequences: seq } = a.batch(k);
        const negatives = a.negativesPerPosition(k, rng);
        for (let j = 0; j < 2; j++) {
          const row = Array.from(seq.subarray(j * 4, j * 4 + 4));
          for (let t = 0; t < 4; t++) {
            const id = negatives[j * 4 + t]!;
            if (row[t] === 0) expect(id).toBe(0);
            else {
              expect(id).toBeGreaterThanOrEqual(1);
              expect(id).toBeLessThanOrEqual(10);
              // Never an item of the row's own sequence (sequence 3 holds items 7, 8, 9, 0, 1, 2 → ids 8, 9, 10, 1, 2, 3).
              expect(row.includes(id)).toBe(false);
            }
          }
        }
      }
    }
  });

  it('draws distinct shared negatives when there are enough items', () => {
    const batches = new NextItemBatches(sequences, 10, 4, 2);
    const rng = new SeededRandom(1);
    for (let round = 0; round < 20; round++) {
      const ids = Array.from(batches.sharedNegatives(rng, new Int32Array(7)));
      expect(new Set(ids).size).toBe(7);
      for (const id of ids) expect(id >= 1 && id <= 10).toBe(true);
    }
    expect(batches.sharedNegatives(rng, new Int32Array(25)).every((id) => id >= 1 && id <= 10)).toBe(true);
  });

  it('refuses data it cannot train on', () => {
    expect(() => new NextItemBatches([Int32Array.of(1)], 10, 4, 2)).toThrow(/two or more items/);
    expect(() => new NextItemBatches([Int32Array.of(1, 12)], 10, 4, 2)).toThrow(/outside 0 … 9/);
    expect(() => new NextItemBatches(sequences, 10, 0, 2)).toThrow(/length and batch size/);
  });
});

describe('lastItems', () => {
  it('keeps the newest items, shifted by one and left-padded', () => {
    expect(Array.from(lastItems(Int32Array.of(4, 7), 4, 10))).toEqual([0, 0, 5, 8]);
    expect(Array.from(lastItems(Int32Array.of(1, 2, 3, 4, 5), 3, 10))).toEqual([4, 5, 6]);
    expect(Array.from(lastItems(new Int32Array(0), 2, 10))).toEqual([0, 0]);
    expect(() => lastItems(Int32Array.of(10), 2, 10)).toThrow(/outside the 10 items/);
  });
});
