import { describe, expect, it } from 'vitest';
import { gradients } from '../autodiff.js';
import { Graph } from '../graph.js';
import { compileGraph } from './compile-graph.js';
import { decodeModel, OPSET, serializeModel, type ValueInfoProto } from './proto.js';

const dims = (v: ValueInfoProto | undefined) => (v?.type?.tensorType?.shape?.dim ?? []).map((d) => Number(d.dimValue));

describe('compileGraph', () => {
  it('emits an opset-17 model of only the nodes the outputs need, with static shapes', () => {
    const g = new Graph();
    const x = g.input('x', [4, 3]);
    const w = g.param('w', [3, 2]);
    g.input('unused', [9]);
    g.exp(x); // not needed by the output below
    const y = g.sum(g.relu(g.matmul(x, w)), [1]);
    const { model, inputs, outputNames } = compileGraph(g, [y]);
    const decoded = decodeModel(serializeModel(model));
    expect(decoded.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', OPSET]]);
    expect(inputs.map((i) => i.name)).toEqual(['x', 'w']);
    const graph = decoded.graph!;
    expect((graph.input ?? []).map((i) => [i.name, dims(i)])).toEqual([['x', [4, 3]], ['w', [3, 2]]]);
    expect((graph.node ?? []).map((n) => n.opType)).toEqual(['MatMul', 'Relu', 'ReduceSum', 'Identity']);
    expect(outputNames).toEqual(['output0']);
    expect(dims(graph.output?.[0])).toEqual([4]);
  });

  it('maps step and equal to Cast of a comparison, and shares int64 shape tensors', () => {
    const g = new Graph();
    const a = g.param('a', [2, 3]);
    const b = g.param('b', [2, 3]);
    const ra = g.reshape(g.add(g.step(a), g.equal(a, b)), [3, 2]);
    const rb = g.reshape(b, [3, 2]);
    const { model } = compileGraph(g, [g.add(ra, rb)]);
    const ops = model.graph!.node!.map((n) => n.opType);
    expect(ops).toEqual(['Greater', 'Cast', 'Equal', 'Cast', 'Add', 'Reshape', 'Reshape', 'Add', 'Identity']);
    const int64 = model.graph!.initializer!.filter((t) => t.dataType === 7);
    expect(int64).toHaveLength(1);
  });

  it('compiles forward and backward into one model', () => {
    const g = new Graph();
    const w = g.param('w', [3]);
    const loss = g.sum(g.mul(w, w), [0]);
    const grad = gradients(g, loss, [w]).get(w.id)!;
    const { model, outputNames } = compileGraph(g, [loss, grad], { outputNames: ['loss', 'dw'] });
    expect(outputNames).toEqual(['loss', 'dw']);
    expect(model.graph!.output!.map((o) => o.name)).toEqual(['loss', 'dw']);
    expect(() => compileGraph(g, [loss], { outputNames: ['w'] })).toThrow(/already a value/);
    expect(() => compileGraph(g, [loss, grad], { outputNames: ['a', 'a'] })).toThrow(/repeat/);
  });
});
