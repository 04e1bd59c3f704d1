import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { buildMlp, initMlp, randomBatch } from '../graph-cases.js';
import { exportOnnx } from './export.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exportOnnx', () => {
  it('writes a standalone .onnx file that onnxruntime loads and that computes what the cpu backend does', async () => {
    const spec = { batch: 5, inputs: 8, hidden: 16, classes: 4 };
    const g = new Graph();
    const { logits } = buildMlp(g, spec); // the loss (and its labels input) are in the graph but not exported
    const probs = g.softmax(logits);
    const rng = new SeededRandom('export');
    const weights = initMlp(rng, spec);
    weights.b1!.fill(0.1);
    const { x } = randomBatch(rng, spec);
    const file = join(dir, 'mlp.onnx');
    writeFileSync(file, exportOnnx(g, [probs, logits], weights, { outputNames: ['probs', 'logits'] }));

    const session = await InferenceSession.create(file);
    try {
      expect(session.inputNames).toEqual(['x']);
      expect(session.outputNames).toEqual(['probs', 'logits']);
      const out = await session.run({ x: new Tensor('float32', x, [spec.batch, spec.inputs]) });
      const [p, l] = new CpuExecutor(g, [probs, logits]).run({ x }, weights);
      expect(out.probs!.dims).toEqual([spec.batch, spec.classes]);
      const close = (a: Float32Array, e: Float32Array) => a.every((v, i) => Math.abs(v - e[i]!) <= Math.max(1e-5, 1e-4 * Math.abs(e[i]!)));
      expect(close(out.probs!.data as Float32Array, p!)).toBe(true);
      expect(close(out.logits!.data as Float32Array, l!)).toBe(true);
    } finally {
      await session.release();
    }
  });

  it('needs every param the outputs use', () => {
    const g = new Graph();
    const y = g.matmul(g.input('x', [1, 2]), g.param('w', [2, 2]));
    expect(() => exportOnnx(g, [y], {})).toThrow(/no data for param w/);
  });
});
