import { AppError } from '../../core/errors.js';
import { toSchedule, type LrSchedule } from './schedules.js';

export type Tensors = Map<string, Float32Array> | Record<string, Float32Array>;

/**
 * A dense optimizer: updates every param in `params` in place from the gradient of the same name.
 * State (momenta) is kept per param name, so one optimizer serves a model across graphs.
 */
export interface Optimizer {
  step(params: Tensors, grads: Tensors): void;
  /** Steps taken so far. */
  readonly steps: number;
  /** The rate the next step will use. */
  learningRate(): number;
}

/**
 * Pairs of (name, param, grad), checking that each param has a gradient of its size.
 *
 * @example for (const [name, p, g] of pairs(params, grads)) p[0]! -= 0.1 * g[0]!;
 */
export function pairs(params: Tensors, grads: Tensors): [string, Float32Array, Float32Array][] {
  const p = params instanceof Map ? params : new Map(Object.entries(params));
  const g = grads instanceof Map ? grads : new Map(Object.entries(grads));
  return [...p].map(([name, data]) => {
    const grad = g.get(name);
    if (!grad) throw AppError.invalid(`no gradient for param ${name}`, { field: name });
    if (grad.length !== data.length) throw AppError.invalid(`gradient of ${name} has ${grad.length} values, the param ${data.length}`, { field: name });
    return [name, data, grad];
  });
}

/** A zero state array per param name, made on first use. @example const m = moments.get('out/w', w.length); */
export class StateSlots {
  private readonly slots = new Map<string, Float32Array>();
  get(name: string, size: number): Float32Array {
    let s = this.slots.get(name);
    if (!s) this.slots.set(name, (s = new Float32Array(size)));
    return s;
  }
}

export interface SgdOptions {
  lr: number | LrSchedule;
  /** Default 0 (plain SGD). */
  momentum?: number;
  nesterov?: boolean;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with (Nesterov) momentum, as in PyTorch: v ← μv + g, p ← p − lr·v
 * (Nesterov: p ← p − lr·(g + μv)).
 *
 * @example const sgd = new Sgd({ lr: 0.1, momentum: 0.9 }); sgd.step(store.tensors(names), grads);
 */
export class Sgd implements Optimizer {
  steps = 0;
  private readonly schedule: LrSchedule;
  private readonly velocity = new StateSlots();

  constructor(private readonly options: SgdOptions) {
    this.schedule = toSchedule(options.lr);
  }

  learningRate(): number {
    return this.schedule(this.steps);
  }

  step(params: Tensors, grads: Tensors): void {
    const lr = this.learningRate();
    const mu = this.options.momentum ?? 0;
    const wd = this.options.weightDecay ?? 0;
    for (const [name, p, g] of pairs(params, grads)) {
      const v = mu > 0 ? this.velocity.get(name, p.length) : undefined;
      for (let i = 0; i < p.length; i++) {
        const grad = g[i]! + wd * p[i]!;
        if (!v) {
          p[i]! -= lr * grad;
          continue;
        }
        v[i] = mu * v[i]! + grad;
        p[i]! -= lr * (this.options.nesterov ? grad + mu * v[i]! : v[i]!);
      }
    }
    this.steps++;
  }
}
