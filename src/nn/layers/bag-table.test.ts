import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { BagTable, positions } from './bag-table.js';
import { ParamStore } from './param-store.js';

describe('BagTable', () => {
  const make = () => {
    const table = BagTable.create(new ParamStore(), 'f', 5, 2, new SeededRandom('bag'));
    table.data.set([0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    return table;
  };

  it('gathers the mean row of each bag, zeros for an empty bag', () => {
    const table = make().use({ offsets: Int32Array.of(0, 2, 2, 3), ids: Int32Array.of(1, 2, 4) });
    expect([...table.gather(positions(3))]).toEqual([2, 3, 0, 0, 7, 8]);
    expect([...table.gather(Int32Array.of(2, 0))]).toEqual([7, 8, 2, 3]);
  });

  it('spreads each position gradient over its bag and sums per row', () => {
    const table = make().use({ offsets: Int32Array.of(0, 2, 3), ids: Int32Array.of(1, 3, 1) });
    const sparse = table.scatterGrad(positions(2), Float32Array.of(2, 4, 1, 1));
    expect([...sparse.rows]).toEqual([1, 3]);
    expect([...sparse.grad]).toEqual([2, 3, 1, 2]);
    // the row-slot scratch is reset: a second scatter starts clean
    expect([...table.scatterGrad(Int32Array.of(1), Float32Array.of(1, 1)).grad]).toEqual([1, 1]);
  });

  it('rejects bags outside the table, bad offsets and positions without bags', () => {
    const table = make();
    expect(() => table.gather(positions(1))).toThrow(/use\(bags\)/);
    expect(() => table.use({ offsets: Int32Array.of(0, 1), ids: Int32Array.of(9) })).toThrow(AppError);
    expect(() => table.use({ offsets: Int32Array.of(0, 2), ids: Int32Array.of(1) })).toThrow(/offsets/);
    table.use({ offsets: Int32Array.of(0, 1), ids: Int32Array.of(1) });
    expect(() => table.gather(Int32Array.of(1))).toThrow(/position 1/);
  });
});
