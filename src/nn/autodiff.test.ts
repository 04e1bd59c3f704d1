import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../math/random.js';
import { gradients } from './autodiff.js';
import { CpuExecutor } from './cpu/cpu-executor.js';
import { gradCheck } from './gradcheck.js';
import { Graph, type Value } from './graph.js';
import type { Shape } from './shape.js';

// Float32 kernels with a central difference of ε = 1e-2: agreement to ~1e-3 is what correct gradients give.
const TOLERANCE = 5e-3;
const rng = new SeededRandom('gradcheck');

const cases: [string, Shape[], (g: Graph, p: Value[]) => Value, { positive?: boolean }?][] = [
  ['add with broadcast', [[3, 4], [4]], (g, [a, b]) => g.add(a!, b!)],
  ['sub with broadcast', [[2, 1, 3], [4, 3]], (g, [a, b]) => g.sub(a!, b!)],
  ['mul with broadcast', [[3, 4], [3, 1]], (g, [a, b]) => g.mul(a!, b!)],
  ['div', [[3, 4], [3, 4]], (g, [a, b]) => g.div(a!, b!), { positive: true }],
  ['neg', [[5]], (g, [a]) => g.neg(a!)],
  ['exp', [[2, 3]], (g, [a]) => g.exp(a!)],
  ['log', [[2, 3]], (g, [a]) => g.log(a!), { positive: true }],
  ['sqrt', [[2, 3]], (g, [a]) => g.sqrt(a!), { positive: true }],
  ['relu', [[2, 3]], (g, [a]) => g.relu(g.add(a!, g.constant(0.05)))],
  ['sigmoid', [[2, 3]], (g, [a]) => g.sigmoid(a!)],
  ['tanh', [[2, 3]], (g, [a]) => g.tanh(a!)],
  ['matmul', [[3, 5], [5, 2]], (g, [a, b]) => g.matmul(a!, b!)],
  ['batched matmul with broadcast', [[2, 3, 4], [4, 5]], (g, [a, b]) => g.matmul(a!, b!)],
  ['transpose', [[2, 3, 4]], (g, [a]) => g.transpose(a!, [2, 0, 1])],
  ['reshape', [[2, 6]], (g, [a]) => g.reshape(a!, [3, 4])],
  ['broadcastTo', [[3, 1]], (g, [a]) => g.broadcastTo(a!, [2, 3, 4])],
  ['concat', [[2, 3], [2, 2]], (g, [a, b]) => g.concat([a!, b!], 1)],
  ['slice', [[3, 5]], (g, [a]) => g.slice(a!, 1, 1, 4)],
  ['pad', [[2, 3]], (g, [a]) => g.pad(a!, [1, 0, 0, 2])],
  ['sum over axes', [[2, 3, 4]], (g, [a]) => g.sum(a!, [0, 2])],
  ['mean keeping dims', [[2, 3, 4]], (g, [a]) => g.mean(a!, [1], true)],
  ['max (pooling over time)', [[2, 5, 3]], (g, [a]) => g.max(a!, [1])],
  ['softmax', [[3, 4]], (g, [a]) => g.softmax(a!)],
  ['logSoftmax on a middle axis', [[2, 4, 3]], (g, [a]) => g.logSoftmax(a!, 1)],
  ['a two-layer network with cross-entropy', [[4, 6], [6, 5], [5], [5, 3]], (g, [x, w1, b1, w2]) => {
    const h = g.tanh(g.add(g.matmul(x!, w1!), b1!));
    const labels = g.constant(Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]), [4, 3]);
    return g.neg(g.mean(g.sum(g.mul(g.logSoftmax(g.matmul(h, w2!)), labels), [1]), [0]));
  }],
];

describe('graph gradients match finite differences on the cpu backend', () => {
  it.each(cases)('%s', (_name, shapes, build, options) => {
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
