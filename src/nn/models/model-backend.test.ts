import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { Graph } from '../graph.js';
import { modelBackend, type BackendName } from './model-backend.js';

function doubling() {
  const g = new Graph();
  const x = g.input('x', [2]);
  return { g, y: g.mul(x, g.constant(2)) };
}

describe('modelBackend', () => {
  for (const name of ['onnx', 'cpu'] as const) {
    it(`${name}: runs training and inference graphs, and again after the training sessions are released`, async () => {
      const backend = modelBackend(name);
      const { g, y } = doubling();
      const train = await backend.executor(g, [y]);
      const infer = await backend.inferenceExecutor(g, [y]);
      expect(Array.from((await train.run({ x: Float32Array.of(1, 2) }, {}))[0]!)).toEqual([2, 4]);
      expect(Array.from((await infer.run({ x: Float32Array.of(3, 4) }, {}))[0]!)).toEqual([6, 8]);
      await backend.releaseTraining();
      expect(Array.from((await train.run({ x: Float32Array.of(5, 6) }, {}))[0]!)).toEqual([10, 12]);
      await backend.releaseTraining();
    });
  }

  it('builds nothing until the first run and refuses unknown backends', async () => {
    const backend = modelBackend('onnx');
    const g = new Graph();
    // An output the onnx compiler would reject is harmless until it runs.
    const executor = backend.executor(g, [g.input('x', [1])]);
    await backend.releaseTraining();
    expect(executor).toBeDefined();
    let error: unknown;
    try {
      modelBackend('gpu' as BackendName);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.kind === 'invalid').toBe(true);
  });
});
