import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { Graph } from '../graph.js';
import { OnnxExecutor } from './onnx-executor.js';

const opened: OnnxExecutor[] = [];
async function executor(...args: Parameters<typeof OnnxExecutor.create>): Promise<OnnxExecutor> {
  const ex = await OnnxExecutor.create(...args);
  opened.push(ex);
  return ex;
}
afterAll(async () => { await Promise.all(opened.map((ex) => ex.release())); });

/** y = x·w + b over a batch of 2. */
function affine() {
  const g = new Graph();
  const x = g.input('x', [2, 3]);
  const w = g.param('w', [3, 2]);
  const b = g.param('b', [2]);
  g.param('unused', [7]);
  return { g, x, w, b, y: g.add(g.matmul(x, w), b) };
}
const x = Float32Array.of(1, 2, 3, 4, 5, 6);
const w = Float32Array.of(1, 0, 0, 1, 1, 1);
const b = Float32Array.of(0.5, -0.5);

describe('OnnxExecutor', () => {
  it('reads only the inputs and params the outputs need, and returns the outputs in order', async () => {
    const { g, y, w: wv } = affine();
    const ex = await executor(g, [y, wv, y]);
    expect(ex.inputs.map((i) => `${i.kind} ${i.name} [${i.shape}]`)).toEqual(['input x [2,3]', 'param w [3,2]', 'param b [2]']);
    const [y1, wOut, y2] = await ex.run({ x }, new Map([['w', w], ['b', b]]));
    expect([...y1!]).toEqual([4.5, 4.5, 10.5, 10.5]);
    expect([...y2!]).toEqual([...y1!]);
    expect([...wOut!]).toEqual([...w]);
  });

  it('sees an in-place update of a fed array and a newly passed array', async () => {
    const { g, y } = affine();
    const ex = await executor(g, [y]);
    const weights = { w: w.slice(), b: b.slice() };
    expect([...(await ex.run({ x }, weights))[0]!]).toEqual([4.5, 4.5, 10.5, 10.5]);
    weights.b[0] = 10; // the tensor over this array is reused, so the change must show
    expect([...(await ex.run({ x }, weights))[0]!]).toEqual([14, 4.5, 20, 10.5]);
    expect([...(await ex.run({ x: new Float32Array(6) }, weights))[0]!]).toEqual([10, -0.5, 10, -0.5]);
  });

  it('bakes params into the model as initializers when given their values', async () => {
    const { g, y } = affine();
    const ex = await executor(g, [y], { params: { w, b } });
    expect(ex.inputs.map((i) => i.name)).toEqual(['x']);
    expect([...(await ex.run({ x }))[0]!]).toEqual([4.5, 4.5, 10.5, 10.5]);
    await expect(OnnxExecutor.create(g, [y], { params: { w } })).rejects.toMatchObject({ kind: 'invalid', detail: { field: 'b' } });
  });

  it('runs concurrent requests on one session', async () => {
    const { g, y } = affine();
    const ex = await executor(g, [y], { params: { w, b } });
    const batches = Array.from({ length: 8 }, (_, k) => Float32Array.from(x, (v) => v * k));
    const results = await Promise.all(batches.map((batch) => ex.run({ x: batch })));
    results.forEach(([r], k) => expect(r![0]).toBeCloseTo(4 * k + 0.5, 5));
  });

  it('outputs constants, and says which input is missing or the wrong size', async () => {
    const { g, y } = affine();
    const c = g.constant(Float32Array.of(1, 2, 3), [3]);
    const ex = await executor(g, [y, c]);
    expect([...(await ex.run({ x }, { w, b }))[1]!]).toEqual([1, 2, 3]);
    const missing = await ex.run({}, { w, b }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AppError);
    expect(missing).toMatchObject({ kind: 'invalid', detail: { field: 'x' } });
    await expect(ex.run({ x }, { w: new Float32Array(5), b })).rejects.toThrow(/w has 5 values; its shape \[3,2\] needs 6/);
  });
});
