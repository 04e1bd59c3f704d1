import { AppError } from '../../core/errors.js';

/** Learning rate of the step about to be taken (0-based). */
export type LrSchedule = (step: number) => number;

function positiveInt(name: string, v: number, allowZero = false): void {
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) throw AppError.invalid(`${name} must be an integer ≥ ${allowZero ? 0 : 1}, got ${v}`, { field: name });
}

/**
 * The same rate at every step.
 *
 * @example new Adam({ lr: constantLr(1e-3) })
 */
export function constantLr(lr: number): LrSchedule {
  return () => lr;
}

/**
 * Linear warm-up from 0 to `peak` over `warmupSteps`, then linear decay to `final` at `totalSteps`
 * (held at `final` after).
 *
 * @example linearWarmupDecay({ peak: 3e-3, warmupSteps: 100, totalSteps: 2000 })(50) // 1.5e-3 (about)
 */
export function linearWarmupDecay(o: { peak: number; warmupSteps: number; totalSteps: number; final?: number }): LrSchedule {
  positiveInt('warmupSteps', o.warmupSteps, true);
  if (!(o.totalSteps > o.warmupSteps)) throw AppError.invalid(`totalSteps (${o.totalSteps}) must exceed warmupSteps (${o.warmupSteps})`, { field: 'totalSteps' });
  const final = o.final ?? 0;
  return (step) => {
    if (step < o.warmupSteps) return (o.peak * (step + 1)) / o.warmupSteps;
    const progress = Math.min(1, (step - o.warmupSteps) / (o.totalSteps - o.warmupSteps));
    return o.peak + (final - o.peak) * progress;
  };
}

/**
 * Cosine annealing from `peak` to `final` over `totalSteps`, after an optional linear warm-up.
 *
 * @example cosineLr({ peak: 1e-3, totalSteps: 1000, warmupSteps: 50 })
 */
export function cosineLr(o: { peak: number; totalSteps: number; warmupSteps?: number; final?: number }): LrSchedule {
  const warmup = o.warmupSteps ?? 0;
  positiveInt('warmupSteps', warmup, true);
  if (!(o.totalSteps > warmup)) throw AppError.invalid(`totalSteps (${o.totalSteps}) must exceed warmupSteps (${warmup})`, { field: 'totalSteps' });
  const final = o.final ?? 0;
  return (step) => {
    if (step < warmup) return (o.peak * (step + 1)) / warmup;
    const progress = Math.min(1, (step - warmup) / (o.totalSteps - warmup));
    return final + 0.5 * (o.peak - final) * (1 + Math.cos(Math.PI * progress));
  };
}

/**
 * Multiplies the rate by `factor` every `every` steps.
 *
 * @example stepLr({ initial: 0.1, every: 1000, factor: 0.5 })(2500) // 0.025
 */
export function stepLr(o: { initial: number; every: number; factor: number }): LrSchedule {
  positiveInt('every', o.every);
  return (step) => o.initial * Math.pow(o.factor, Math.floor(step / o.every));
}

/** A number or a schedule, as a schedule. @example toSchedule(1e-3)(500) // 1e-3 */
export function toSchedule(lr: number | LrSchedule): LrSchedule {
  if (typeof lr === 'function') return lr;
  if (!(lr >= 0) || !Number.isFinite(lr)) throw AppError.invalid(`learning rate must be a finite number ≥ 0, got ${lr}`, { field: 'lr' });
  return constantLr(lr);
}
