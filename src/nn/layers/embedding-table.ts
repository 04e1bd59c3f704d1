import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import type { Graph, Value } from '../graph.js';
import type { Shape } from '../shape.js';
import { normalInit, type Initializer } from './init.js';
import type { ParamStore } from './param-store.js';

/** Gradient rows of a sparse update: distinct row ids and their summed gradients (rows.length × dim). */
export interface SparseRows {
  rows: Int32Array;
  grad: Float32Array;
}

/**
 * An embedding table kept outside the graph: per batch, `gather` copies the rows of the batch's ids into
 * a [B, L, D] block that is fed as a graph input; the gradient w.r.t. that input comes back through
 * `scatterGrad` as summed rows, which sparse optimizers (`SparseAdam`, `SparseAdagrad`) apply to the
 * table in place. The padding row is all zeros, is gathered as zeros and never receives a gradient.
 * The data lives in the `ParamStore` under `name`, so saving the store saves the table.
 *
 * @example
 * const table = EmbeddingTable.create(store, 'emb', 20000, 128, rng, { paddingIndex: 0 });
 * const emb = table.input(g, [B, L]);         // graph input 'emb' [B, L, 128]
 * const x = table.gather(ids);                 // its data for one batch
 * const sparse = table.scatterGrad(ids, dx);   // dx: the graph's gradient w.r.t. that input
 * sparseAdam.step(table, sparse);
 */
export class EmbeddingTable {
  constructor(
    readonly name: string,
    readonly vocab: number,
    readonly dim: number,
    readonly data: Float32Array,
    readonly paddingIndex: number | undefined = undefined,
  ) {
    if (data.length !== vocab * dim) throw AppError.invalid(`embedding ${name}: ${data.length} values for ${vocab} × ${dim}`, { field: name });
    if (paddingIndex !== undefined && (paddingIndex < 0 || paddingIndex >= vocab)) throw AppError.invalid(`embedding ${name}: padding index ${paddingIndex} outside vocabulary of ${vocab}`, { field: name });
  }

  /** Registers (or reuses) the table `name` in the store; the padding row is zeroed. Default init N(0, 1/dim). */
  static create(store: ParamStore, name: string, vocab: number, dim: number, rng: SeededRandom, options: { paddingIndex?: number; init?: Initializer } = {}): EmbeddingTable {
    const fresh = !store.has(name);
    const data = store.ensure(name, [vocab, dim], options.init ?? normalInit(1 / Math.sqrt(dim)), rng);
    const table = new EmbeddingTable(name, vocab, dim, data, options.paddingIndex);
    if (fresh && options.paddingIndex !== undefined) data.fill(0, options.paddingIndex * dim, (options.paddingIndex + 1) * dim);
    return table;
  }

  /** The graph input the gathered rows are fed to: named like the table, shaped [...idsShape, dim]. */
  input(g: Graph, idsShape: Shape): Value {
    return g.input(this.name, [...idsShape, this.dim]);
  }

  /** The rows of `ids`, concatenated (ids.length × dim), into `out` when given. */
  gather(ids: ArrayLike<number>, out: Float32Array = new Float32Array(ids.length * this.dim)): Float32Array {
    const d = this.dim;
    if (out.length !== ids.length * d) throw AppError.invalid(`gather output holds ${out.length} values, needs ${ids.length * d}`);
    for (let i = 0; i < ids.length; i++) {
      const id = this.check(ids[i]!, i);
      out.set(this.data.subarray(id * d, id * d + d), i * d);
    }
    return out;
  }

  /**
   * Sums the gradient rows of repeated ids (`grad` is ids.length × dim, in the order of `ids`) and
   * drops the padding id; rows come out in first-seen order.
   */
  scatterGrad(ids: ArrayLike<number>, grad: Float32Array): SparseRows {
    const d = this.dim;
    if (grad.length !== ids.length * d) throw AppError.invalid(`gradient holds ${grad.length} values, ${ids.length} ids need ${ids.length * d}`);
    const slot = new Map<number, number>();
    const order: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = this.check(ids[i]!, i);
      if (id === this.paddingIndex || slot.has(id)) continue;
      slot.set(id, order.length);
      order.push(id);
    }
    const summed = new Float32Array(order.length * d);
    for (let i = 0; i < ids.length; i++) {
      const s = slot.get(ids[i]!);
      if (s === undefined) continue;
      const from = i * d, to = s * d;
      for (let j = 0; j < d; j++) summed[to + j]! += grad[from + j]!;
    }
    return { rows: Int32Array.from(order), grad: summed };
  }

  /** A view of one row. */
  row(id: number): Float32Array {
    const i = this.check(id, 0);
    return this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  private check(id: number, index: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocab) throw AppError.invalid(`embedding ${this.name}: id ${id} outside vocabulary of ${this.vocab}`, { field: this.name, index });
    return id;
  }
}
