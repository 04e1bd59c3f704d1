import { describe, expect, it } from 'vitest';
import { isShared, sharedFloat32, sharedFloat64, sharedInt32, toShared } from './shared-arrays.js';

describe('shared arrays', () => {
  it('allocate zero-filled typed arrays in shared memory', () => {
    for (const view of [sharedFloat64(3), sharedFloat32(3), sharedInt32(3)]) {
      expect(isShared(view)).toBe(true);
      expect(Array.from(view)).toEqual([0, 0, 0]);
    }
    expect(isShared(new Float64Array(3))).toBe(false);
    expect(() => sharedFloat64(-1)).toThrow(/integer ≥ 0/);
  });

  it('toShared copies type and values; map() would not stay shared', () => {
    const copy = toShared(new Float32Array([1, 2, 3]));
    expect(copy).toBeInstanceOf(Float32Array);
    expect(isShared(copy)).toBe(true);
    expect(Array.from(copy)).toEqual([1, 2, 3]);
    expect(isShared(sharedFloat64(2).map((v) => v + 1))).toBe(false);
  });
});
