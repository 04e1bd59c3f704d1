import { describe, expect, it } from 'vitest';
import { ParamStore } from '../layers/param-store.js';
import { clipGlobalNorm } from './clip.js';
import { EarlyStopping } from './early-stopping.js';
import { constantLr, cosineLr, linearWarmupDecay, stepLr } from './schedules.js';

describe('clipGlobalNorm', () => {
  it('scales all arrays by maxNorm / norm when the global norm is too large', () => {
    const a = Float32Array.from([3, 0]);
    const b = Float32Array.from([0, 4]);
    expect(clipGlobalNorm([a, b], 10)).toEqual({ norm: 5, scale: 1 });
    expect([...a, ...b]).toEqual([3, 0, 0, 4]);
    expect(clipGlobalNorm([a, b], 1)).toEqual({ norm: 5, scale: 0.2 });
    expect(a[0]).toBeCloseTo(0.6, 6);
    expect(b[1]).toBeCloseTo(0.8, 6);
    expect(() => clipGlobalNorm([a], 0)).toThrow(/maxNorm/);
  });
});

describe('learning-rate schedules', () => {
  it('constant, linear warm-up + decay, cosine and step', () => {
    expect(constantLr(0.1)(1000)).toBe(0.1);
    const lin = linearWarmupDecay({ peak: 1, warmupSteps: 4, totalSteps: 14, final: 0.1 });
    expect([0, 1, 3].map(lin)).toEqual([0.25, 0.5, 1]);
    expect(lin(9)).toBeCloseTo(0.55, 10);
    expect(lin(14)).toBeCloseTo(0.1, 10);
    expect(lin(100)).toBeCloseTo(0.1, 10);
    const cos = cosineLr({ peak: 1, totalSteps: 10 });
    expect(cos(0)).toBe(1);
    expect(cos(5)).toBeCloseTo(0.5, 10);
    expect(cos(10)).toBeCloseTo(0, 10);
    expect(cosineLr({ peak: 2, totalSteps: 12, warmupSteps: 2 })(0)).toBe(1);
    const st = stepLr({ initial: 0.1, every: 1000, factor: 0.5 });
    expect([st(0), st(999), st(1000), st(2500)]).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(() => linearWarmupDecay({ peak: 1, warmupSteps: 10, totalSteps: 10 })).toThrow(/must exceed/);
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` evaluations without improvement and restores the best weights', () => {
    const store = new ParamStore();
    store.set('w', [1], Float32Array.from([0]));
    const stopper = new EarlyStopping({ patience: 2, mode: 'max', minDelta: 0.001 });
    const metrics = [0.5, 0.7, 0.6, 0.7005, 0.65];
    const stops = metrics.map((m, i) => {
      store.get('w')[0] = i;
      return stopper.observe(m, store);
    });
    expect(stops).toEqual([false, false, false, false, true]);
    expect(stopper.best).toBe(0.7);
    expect(stopper.bestAt).toBe(1);
    stopper.restoreBest(store);
    expect(store.get('w')[0]).toBe(1);
    const low = new EarlyStopping({ patience: 0, mode: 'min' });
    expect(low.observe(2, store)).toBe(false);
    expect(low.observe(1, store)).toBe(false);
    expect(low.observe(1.5, store)).toBe(true);
  });
});
