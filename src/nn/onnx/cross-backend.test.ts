import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { gradients } from '../autodiff.js';
import { checkGraph } from '../gradcheck.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph, type Value } from '../graph.js';
import { backendCases, buildMlp, gradientCases, initMlp, randomBatch, type GraphCase } from '../graph-cases.js';
import { OnnxExecutor } from './onnx-executor.js';

type Feed = Record<string, Float32Array>;
type Run = (inputs: Feed, params: Feed) => Promise<Float32Array[]>;

/** The backends of the shared suite: each compiles (graph, outputs) once and runs it many times. */
const backends: { name: string; create: (g: Graph, outputs: Value[]) => Promise<Run> }[] = [
  { name: 'cpu', create: async (g, outputs) => { const ex = new CpuExecutor(g, outputs); return async (i, p) => ex.run(i, p); } },
  { name: 'onnx', create: async (g, outputs) => { const ex = await OnnxExecutor.create(g, outputs); opened.push(ex); return (i, p) => ex.run(i, p); } },
];
const opened: OnnxExecutor[] = [];
afterAll(async () => { await Promise.all(opened.map((ex) => ex.release())); });

const RELATIVE = 1e-4;
const ABSOLUTE = 1e-5;

/** Every element agrees within 1e-4 relative or 1e-5 absolute; the message names the first that does not. */
function expectClose(actual: Float32Array, expected: Float32Array, label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const diff = Math.abs(a - e);
    if (!(diff <= ABSOLUTE || diff <= RELATIVE * Math.max(Math.abs(a), Math.abs(e)))) {
      expect.fail(`${label}[${i}]: ${a} vs ${e} (difference ${diff})`);
    }
  }
}

/** The gradient-check construction: loss = Σ(output ⊙ R), outputs [output, loss, ∂loss/∂p for every p]. */
function caseGraph(rng: SeededRandom, [, shapes, build, options]: GraphCase): { g: Graph; outputs: Value[]; params: Feed } {
  const { g, params, out, loss, grads, values } = checkGraph(rng, shapes, build, options);
  return { g, outputs: [out, loss, ...params.map((p) => grads.get(p.id)!)], params: values };
}

describe('cpu and onnx backends agree on every graph of the gradient check, gradients included', () => {
  const rng = new SeededRandom('cross-backend');
  it.each([...gradientCases, ...backendCases])('%s', async (...testCase) => {
    const { g, outputs, params } = caseGraph(rng, testCase);
    const results = await Promise.all(backends.map(async (b) => (await b.create(g, outputs))({}, params)));
    const [reference, ...others] = results;
    const labels = ['output', 'loss', ...testCase[1].map((_, i) => `d loss / d p${i}`)];
    others.forEach((result, k) => result.forEach((r, i) => expectClose(r, reference![i]!, `${backends[k + 1]!.name} ${labels[i]}`)));
  });
});

describe('an MLP trained with SGD on both backends', () => {
  it('gives the same loss at every step and the same weights at the end', async () => {
    const spec = { batch: 16, inputs: 12, hidden: 24, classes: 5 };
    const g = new Graph();
    const { loss, params } = buildMlp(g, spec);
    const grads = gradients(g, loss, params);
    const outputs = [loss, ...params.map((p) => grads.get(p.id)!)];
    const names = params.map((p) => g.node(p.id).name!);
    const rng = new SeededRandom('mlp-cross-backend');
    const initial = initMlp(rng, spec);
    const batches = Array.from({ length: 4 }, () => randomBatch(rng, spec));
    const lr = 0.5;
    const trajectories = await Promise.all(backends.map(async (backend) => {
      const run = await backend.create(g, outputs);
      const weights = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, v.slice()]));
      const losses: number[] = [];
      for (let step = 0; step < 12; step++) {
        const [l, ...gs] = await run(batches[step % batches.length]!, weights);
        losses.push(l![0]!);
        // The same SGD update in TS for both, in place (the onnx backend reuses the tensors over these arrays).
        names.forEach((name, i) => { const w = weights[name]!; const d = gs[i]!; for (let j = 0; j < w.length; j++) w[j] = w[j]! - lr * d[j]!; });
      }
      return { losses, weights };
    }));
    const [cpu, onnx] = trajectories as [typeof trajectories[0], typeof trajectories[0]];
    expect(cpu.losses[11]).toBeLessThan(cpu.losses[0]! * 0.8);
    cpu.losses.forEach((l, step) => expect(Math.abs(onnx.losses[step]! - l), `loss at step ${step}`).toBeLessThan(1e-4 * Math.max(1, l)));
    // Twelve steps of float32 rounding apart: the weights still agree closely.
    for (const name of names) {
      const a = onnx.weights[name]!;
      const e = cpu.weights[name]!;
      const worst = a.reduce((m, v, j) => Math.max(m, Math.abs(v - e[j]!)), 0);
      expect(worst, `${name} after training`).toBeLessThan(1e-4);
    }
  });
});
