import { toSchedule, type LrSchedule } from './schedules.js';
import { pairs, StateSlots, type Optimizer, type Tensors } from './optimizer.js';

export interface AdamOptions {
  lr: number | LrSchedule;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay p ← p − lr·wd·p. Default 0 / 0.01. */
  weightDecay?: number;
  /** Which params decay (default all; e.g. `(n) => !n.endsWith('/b')` spares biases). */
  decays?: (name: string) => boolean;
}

/**
 * Adam (Kingma & Ba) with bias-corrected moments: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * p ← p − lr·m̂ / (√v̂ + ε). `weightDecay` here is the classic L2 term in the gradient; see `AdamW`.
 *
 * @example const adam = new Adam({ lr: 1e-3 }); adam.step(store.tensors(names), grads);
 */
export class Adam implements Optimizer {
  steps = 0;
  private readonly schedule: LrSchedule;
  private readonly m = new StateSlots();
  private readonly v = new StateSlots();

  constructor(protected readonly options: AdamOptions, private readonly decoupled = false) {
    this.schedule = toSchedule(options.lr);
  }

  learningRate(): number {
    return this.schedule(this.steps);
  }

  step(params: Tensors, grads: Tensors): void {
    const lr = this.learningRate();
    const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = this.options;
    const wdAll = this.options.weightDecay ?? (this.decoupled ? 0.01 : 0);
    const t = this.steps + 1;
    const c1 = 1 - Math.pow(beta1, t);
    const c2 = 1 - Math.pow(beta2, t);
    for (const [name, p, g] of pairs(params, grads)) {
      const wd = !this.options.decays || this.options.decays(name) ? wdAll : 0;
      const m = this.m.get(name, p.length);
      const v = this.v.get(name, p.length);
      for (let i = 0; i < p.length; i++) {
        const grad = this.decoupled ? g[i]! : g[i]! + wd * p[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * grad;
        v[i] = beta2 * v[i]! + (1 - beta2) * grad * grad;
        let update = (m[i]! / c1) / (Math.sqrt(v[i]! / c2) + eps);
        if (this.decoupled) update += wd * p[i]!;
        p[i]! -= lr * update;
      }
    }
    this.steps = t;
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with weight decay decoupled from the gradient moments,
 * p ← p − lr·(m̂ / (√v̂ + ε) + wd·p); default wd 0.01.
 *
 * @example const opt = new AdamW({ lr: 3e-4, weightDecay: 0.05, decays: (n) => n.endsWith('/w') });
 */
export class AdamW extends Adam {
  constructor(options: AdamOptions) {
    super(options, true);
  }
}
