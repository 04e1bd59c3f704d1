import { describe, expect, it } from 'vitest';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph, type Value } from '../graph.js';
import { checkGradients } from './check-gradients.js';
import { binaryCrossEntropy, bpr, logSigmoid, mse, softmaxCrossEntropy, softplus } from './losses.js';

const TOLERANCE = 5e-3;
const onehot = Float32Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0]);
const binary = Float32Array.from([1, 0, 0, 1, 1, 0]);

function evaluate(build: (g: Graph) => Value, inputs: Record<string, Float32Array>): Float32Array {
  const g = new Graph();
  return new CpuExecutor(g, [build(g)]).run(inputs, {})[0]!;
}

describe('losses', () => {
  it.each([
    ['softmax cross-entropy', (g: Graph) => softmaxCrossEntropy(g, g.input('z', [4, 3]), g.input('y', [4, 3])), { y: onehot }],
    ['binary cross-entropy', (g: Graph) => binaryCrossEntropy(g, g.input('z', [3, 2]), g.input('y', [3, 2])), { y: binary }],
    ['BPR', (g: Graph) => bpr(g, g.input('pos', [5]), g.input('neg', [5])), {}],
    ['MSE', (g: Graph) => mse(g, g.input('p', [2, 3]), g.input('t', [2, 3])), {}],
    ['softplus', (g: Graph) => softplus(g, g.input('z', [2, 3])), {}],
  ] as const)('%s: gradients match finite differences', (_name, build, fixed) => {
    const { maxError, checked } = checkGradients(`loss-${_name}`, (b) => build(b.graph), { fixed: { ...fixed } });
    expect(checked).toBeGreaterThan(0);
    expect(maxError).toBeLessThan(TOLERANCE);
  });

  it('give the textbook values', () => {
    const z = Float32Array.from([2, 1, 0.1, -1, 0.5, 3, 0, 0, 0, 1, 2, 3]);
    const ce = evaluate((g) => softmaxCrossEntropy(g, g.input('z', [4, 3]), g.input('y', [4, 3])), { z, y: onehot })[0]!;
    let expected = 0;
    for (let r = 0; r < 4; r++) {
      const row = [...z.subarray(r * 3, r * 3 + 3)];
      const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
      expected += lse - row[onehot.subarray(r * 3, r * 3 + 3).indexOf(1)]!;
    }
    expect(ce).toBeCloseTo(expected / 4, 5);

    const logits = Float32Array.from([0.3, -1.2, 2, 0, -0.4, 1]);
    const bce = evaluate((g) => binaryCrossEntropy(g, g.input('z', [6]), g.input('y', [6])), { z: logits, y: binary })[0]!;
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const ref = [...logits].reduce((a, v, i) => a - (binary[i]! * Math.log(s(v)) + (1 - binary[i]!) * Math.log(1 - s(v))), 0) / 6;
    expect(bce).toBeCloseTo(ref, 5);

    const b = evaluate((g) => bpr(g, g.input('p', [2]), g.input('n', [2])), { p: Float32Array.from([1, 0]), n: Float32Array.from([0, 2]) })[0]!;
    expect(b).toBeCloseTo(-(Math.log(s(1)) + Math.log(s(-2))) / 2, 5);

    const m = evaluate((g) => mse(g, g.input('p', [3]), g.input('t', [3])), { p: Float32Array.from([1, 2, 3]), t: Float32Array.from([1, 0, 6]) })[0]!;
    expect(m).toBeCloseTo((4 + 9) / 3, 5);
  });

  it('are finite for extreme logits (stable softplus)', () => {
    const z = Float32Array.from([1000, -1000, 80, -80]);
    const sp = evaluate((g) => softplus(g, g.input('z', [4])), { z });
    // Absolute accuracy: softplus(−80) = e⁻⁸⁰ rounds to 0 next to the 1 inside the log-sum-exp.
    [1000, 0, 80, 0].forEach((v, i) => expect(sp[i]).toBeCloseTo(v, 6));
    const ls = evaluate((g) => logSigmoid(g, g.input('z', [4])), { z });
    [0, -1000, 0, -80].forEach((v, i) => expect(ls[i]).toBeCloseTo(v, 6));
    const bce = evaluate((g) => binaryCrossEntropy(g, g.input('z', [4]), g.input('y', [4])), { z, y: Float32Array.from([0, 1, 1, 0]) })[0]!;
    expect(bce).toBeCloseTo(500, 3);
  });

  it('reject mismatched shapes', () => {
    expect(() => evaluate((g) => mse(g, g.input('p', [3]), g.input('t', [1, 3])), {})).toThrow(/differ/);
  });
});
