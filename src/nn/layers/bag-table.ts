import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import type { Initializer } from './init.js';
import { EmbeddingTable, type SparseRows } from './embedding-table.js';
import type { ParamStore } from './param-store.js';

/**
 * Bags of row ids, one bag per position (e.g. the hashed character n-grams of each token): the ids of
 * bag p are `ids[offsets[p] .. offsets[p + 1])`; `offsets` has one entry more than there are bags.
 */
export interface Bags {
  offsets: Int32Array;
  ids: Int32Array;
}

/**
 * An embedding table whose positions are bags of rows: each position's vector is the mean of the rows
 * of its bag (zeros for an empty bag), as fastText builds a word from its n-grams. It plugs into
 * `GraphTrainer` as a row input: call `use(bags)` before a step and pass the position numbers
 * 0, 1, …, n − 1 as the input's ids; `gather` averages the rows, `scatterGrad` spreads each position's
 * gradient over its bag (÷ bag size) and sums per distinct row, for the sparse optimizer.
 *
 * @example
 * const table = BagTable.create(store, 'features', 1 << 18, 48, rng);
 * table.use({ offsets: Int32Array.of(0, 2, 3), ids: Int32Array.of(17, 900, 5) });
 * const x = table.gather(positions(2)); // [mean(row 17, row 900), row 5]
 */
export class BagTable extends EmbeddingTable {
  private bags: Bags | undefined;
  /** Row → slot in the last scatter (−1 = untouched), kept to avoid a Map per step. */
  private slotOf: Int32Array | undefined;

  /** Registers (or reuses) the table `name`; fresh rows are drawn U(±√(3/dim)) (variance 1/dim, as `EmbeddingTable`'s default, but fast for large tables). */
  static override create(store: ParamStore, name: string, rows: number, dim: number, rng: SeededRandom): BagTable {
    const data = store.ensure(name, [rows, dim], fastUniform(Math.sqrt(3 / dim)), rng);
    return new BagTable(name, rows, dim, data);
  }

  /** The bags that the next `gather` / `scatterGrad` positions refer to. */
  use(bags: Bags): this {
    const n = bags.offsets.length - 1;
    if (n < 0 || bags.offsets[0] !== 0 || bags.offsets[n] !== bags.ids.length) throw AppError.invalid(`bag offsets must run from 0 to ${bags.ids.length}`, { field: this.name });
    for (let i = 0; i < bags.ids.length; i++) {
      const id = bags.ids[i]!;
      if (!(id >= 0 && id < this.vocab)) throw AppError.invalid(`bag table ${this.name}: row ${id} outside ${this.vocab} rows`, { field: this.name, index: i });
    }
    this.bags = bags;
    return this;
  }

  override gather(positions: ArrayLike<number>, out: Float32Array = new Float32Array(positions.length * this.dim)): Float32Array {
    const d = this.dim;
    if (out.length !== positions.length * d) throw AppError.invalid(`gather output holds ${out.length} values, needs ${positions.length * d}`);
    const { offsets, ids } = this.current(positions);
    out.fill(0);
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      const from = offsets[p]!, to = offsets[p + 1]!;
      if (to === from) continue;
      const w = 1 / (to - from);
      const at = i * d;
      for (let k = from; k < to; k++) {
        const row = ids[k]! * d;
        for (let j = 0; j < d; j++) out[at + j]! += w * this.data[row + j]!;
      }
    }
    return out;
  }

  override scatterGrad(positions: ArrayLike<number>, grad: Float32Array): SparseRows {
    const d = this.dim;
    if (grad.length !== positions.length * d) throw AppError.invalid(`gradient holds ${grad.length} values, ${positions.length} positions need ${positions.length * d}`);
    const { offsets, ids } = this.current(positions);
    const slotOf = (this.slotOf ??= new Int32Array(this.vocab).fill(-1));
    const order: number[] = [];
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      for (let k = offsets[p]!; k < offsets[p + 1]!; k++) {
        const id = ids[k]!;
        if (slotOf[id] === -1) slotOf[id] = order.push(id) - 1;
      }
    }
    const summed = new Float32Array(order.length * d);
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      const from = offsets[p]!, to = offsets[p + 1]!;
      if (to === from) continue;
      const w = 1 / (to - from);
      const at = i * d;
      for (let k = from; k < to; k++) {
        const s = slotOf[ids[k]!]! * d;
        for (let j = 0; j < d; j++) summed[s + j]! += w * grad[at + j]!;
      }
    }
    for (const id of order) slotOf[id] = -1;
    return { rows: Int32Array.from(order), grad: summed };
  }

  private current(positions: ArrayLike<number>): Bags {
    const bags = this.bags;
    if (!bags) throw AppError.invalid(`bag table ${this.name}: call use(bags) before gathering`, { field: this.name });
    const n = bags.offsets.length - 1;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      if (!(Number.isInteger(p) && p >= 0 && p < n)) throw AppError.invalid(`bag table ${this.name}: position ${p} outside ${n} bags`, { field: this.name, index: i });
    }
    return bags;
  }
}

/**
 * The positions 0 … n − 1 (the ids a `BagTable` row input is fed with).
 *
 * @example positions(3) // Int32Array [0, 1, 2]
 */
export function positions(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** U(−a, a) from one `rng.next()` per value: hashed feature tables have millions of values, and drawing normals for them took seconds. */
function fastUniform(a: number): Initializer {
  return (shape, rng) => {
    const out = new Float32Array(shape.reduce((n, d) => n * d, 1));
    for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * a;
    return out;
  };
}
