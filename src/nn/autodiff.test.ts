import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../math/random.js';
import { gradients } from './autodiff.js';
import { CpuExecutor } from './cpu/cpu-executor.js';
import { gradCheck } from './gradcheck.js';
import { gradientCases } from './graph-cases.js';
import { Graph } from './graph.js';

// Float32 kernels with a central difference of ε = 1e-2: agreement to ~1e-3 is what correct gradients give.
const TOLERANCE = 5e-3;
const rng = new SeededRandom('gradcheck');

describe('graph gradients match finite differences on the cpu backend', () => {
  it.each(gradientCases)('%s', (_name, shapes, build, options) => {
    const { maxError, checked } = gradCheck(rng, shapes, build, options);
    expect(checked).toBeGreaterThan(0);
    expect(maxError).toBeLessThan(TOLERANCE);
  });

  it('stopGradient passes no gradient, and the check notices a gradient that is missing', () => {
    // The forward value depends on the stopped term, the graph gradient on purpose does not: a mismatch.
    const { maxError } = gradCheck(new SeededRandom(1), [[4]], (g, [a]) => g.add(g.mul(a!, a!), g.stopGradient(g.mul(a!, a!))));
    expect(maxError).toBeGreaterThan(0.1);
    const g = new Graph();
    const a = g.param('a', [3]);
    const loss = g.sum(g.add(g.mul(a, a), g.stopGradient(g.exp(a))), [0]);
    const [grad] = new CpuExecutor(g, [gradients(g, loss, [a]).get(a.id)!]).run({}, { a: Float32Array.from([1, -2, 0.5]) });
    expect([...grad!]).toEqual([2, -4, 1]);
  });
});
