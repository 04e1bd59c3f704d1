import { AppError } from '../../core/errors.js';
import { toSchedule, type LrSchedule } from './schedules.js';

/** A row-major table updated by rows (an `EmbeddingTable` fits). */
export interface SparseTarget {
  readonly name: string;
  readonly dim: number;
  readonly data: Float32Array;
}

/** Distinct rows and their gradients (rows.length × dim), as `EmbeddingTable.scatterGrad` returns. */
export interface SparseGrad {
  rows: Int32Array;
  grad: Float32Array;
}

function check(target: SparseTarget, sparse: SparseGrad): number {
  const d = target.dim;
  if (sparse.grad.length !== sparse.rows.length * d) throw AppError.invalid(`sparse gradient of ${target.name}: ${sparse.grad.length} values for ${sparse.rows.length} rows of ${d}`, { field: target.name });
  const rows = target.data.length / d;
  for (const r of sparse.rows) if (r < 0 || r >= rows) throw AppError.invalid(`sparse gradient of ${target.name} names row ${r} of ${rows}`, { field: target.name });
  return d;
}

/**
 * Adagrad on the touched rows only: acc ← acc + g², row ← row − lr·g / (√acc + ε). The accumulator
 * (one value per table element) is made on first use for each table.
 *
 * @example const opt = new SparseAdagrad({ lr: 0.05 }); opt.step(table, table.scatterGrad(ids, dx));
 */
export class SparseAdagrad {
  steps = 0;
  private readonly schedule: LrSchedule;
  private readonly acc = new Map<string, Float32Array>();

  constructor(private readonly options: { lr: number | LrSchedule; eps?: number; initialAccumulator?: number }) {
    this.schedule = toSchedule(options.lr);
  }

  learningRate(): number {
    return this.schedule(this.steps);
  }

  step(target: SparseTarget, sparse: SparseGrad): void {
    const d = check(target, sparse);
    const lr = this.learningRate();
    const eps = this.options.eps ?? 1e-10;
    let acc = this.acc.get(target.name);
    if (!acc) this.acc.set(target.name, (acc = new Float32Array(target.data.length).fill(this.options.initialAccumulator ?? 0)));
    const { data } = target;
    sparse.rows.forEach((row, r) => {
      for (let j = 0; j < d; j++) {
        const i = row * d + j;
        const g = sparse.grad[r * d + j]!;
        acc[i]! += g * g;
        data[i]! -= (lr * g) / (Math.sqrt(acc[i]!) + eps);
      }
    });
    this.steps++;
  }
}

/**
 * Lazy Adam for embedding tables (as PyTorch's SparseAdam / TF's LazyAdam): only the touched rows'
 * moments and values change; bias correction uses this optimizer's step count.
 *
 * @example const opt = new SparseAdam({ lr: 1e-3 }); opt.step(table, table.scatterGrad(ids, dx));
 */
export class SparseAdam {
  steps = 0;
  private readonly schedule: LrSchedule;
  private readonly moments = new Map<string, { m: Float32Array; v: Float32Array }>();

  constructor(private readonly options: { lr: number | LrSchedule; beta1?: number; beta2?: number; eps?: number }) {
    this.schedule = toSchedule(options.lr);
  }

  learningRate(): number {
    return this.schedule(this.steps);
  }

  step(target: SparseTarget, sparse: SparseGrad): void {
    const d = check(target, sparse);
    const lr = this.learningRate();
    const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = this.options;
    const t = this.steps + 1;
    const c1 = 1 - Math.pow(beta1, t);
    const c2 = 1 - Math.pow(beta2, t);
    let state = this.moments.get(target.name);
    if (!state) this.moments.set(target.name, (state = { m: new Float32Array(target.data.length), v: new Float32Array(target.data.length) }));
    const { m, v } = state;
    const { data } = target;
    sparse.rows.forEach((row, r) => {
      for (let j = 0; j < d; j++) {
        const i = row * d + j;
        const g = sparse.grad[r * d + j]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        data[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
      }
    });
    this.steps = t;
  }
}
