import { AppError } from '../../core/errors.js';

/** What early stopping copies the best weights from and back into (a `ParamStore` fits). */
export interface Snapshotting {
  snapshot(): Map<string, Float32Array>;
  restore(snapshot: Map<string, Float32Array>): void;
}

/**
 * Stops training when a validation metric has not improved by more than `minDelta` for `patience`
 * evaluations in a row, keeping a copy of the weights at the best evaluation.
 *
 * @example
 * const stopper = new EarlyStopping({ patience: 3, mode: 'max' });
 * for (const epoch of epochs) { train(); if (stopper.observe(validAccuracy(), store)) break; }
 * stopper.restoreBest(store);
 */
export class EarlyStopping {
  best: number | undefined;
  /** Index (0-based) of the best observation. */
  bestAt = -1;
  /** Observations since the best. */
  stale = 0;
  private seen = 0;
  private bestWeights: Map<string, Float32Array> | undefined;

  constructor(private readonly options: { patience: number; mode?: 'max' | 'min'; minDelta?: number }) {
    if (!Number.isInteger(options.patience) || options.patience < 0) throw AppError.invalid(`patience must be an integer ≥ 0, got ${options.patience}`, { field: 'patience' });
  }

  /** Records a metric; snapshots the weights when it is the best so far. Returns true when training should stop. */
  observe(metric: number, weights: Snapshotting): boolean {
    if (Number.isNaN(metric)) throw AppError.invalid('the validation metric is NaN', { field: 'metric' });
    const sign = (this.options.mode ?? 'max') === 'max' ? 1 : -1;
    const delta = this.options.minDelta ?? 0;
    if (this.best === undefined || sign * (metric - this.best) > delta) {
      this.best = metric;
      this.bestAt = this.seen;
      this.stale = 0;
      this.bestWeights = weights.snapshot();
    } else {
      this.stale++;
    }
    this.seen++;
    return this.stale > this.options.patience;
  }

  /** Copies the best weights back (no-op before the first observation). */
  restoreBest(weights: Snapshotting): void {
    if (this.bestWeights) weights.restore(this.bestWeights);
  }
}
