import { AppError } from '../core/errors.js';
import { broadcastShapes, reducedShape, sizeOf, type Shape } from './shape.js';

/**
 * The operations of the graph IR. Every one maps to ONNX operators (onnx/ backend) and has a typed-array
 * kernel (cpu/ backend); gradients are themselves built from these operations (autodiff.ts), so one
 * graph holds forward, backward and update and both backends run all of it.
 */
export type OpName =
  | 'input' | 'param' | 'constant'
  | 'add' | 'sub' | 'mul' | 'div' | 'neg' | 'exp' | 'log' | 'sqrt' | 'relu' | 'step' | 'sigmoid' | 'tanh' | 'equal'
  | 'matmul' | 'transpose' | 'reshape' | 'broadcastTo' | 'concat' | 'slice' | 'pad'
  | 'sum' | 'max' | 'softmax' | 'logSoftmax' | 'stopGradient';

export interface NodeAttrs {
  perm?: number[];
  shape?: number[];
  axes?: number[];
  keepDims?: boolean;
  axis?: number;
  starts?: number[];
  ends?: number[];
  pads?: number[];
  value?: Float32Array;
}

export interface GraphNode {
  id: number;
  op: OpName;
  inputs: number[];
  attrs: NodeAttrs;
  shape: Shape;
  /** For inputs and params: the name the backends bind data to. */
  name?: string;
}

/** A value in a graph: a node id with its static shape. */
export interface Value {
  readonly id: number;
  readonly shape: Shape;
}

/**
 * A static-shape computation graph over float32 tensors, built by calling its methods.
 *
 * @example
 * const g = new Graph();
 * const x = g.input('x', [64, 128]); const w = g.param('w', [128, 20]);
 * const logits = g.matmul(x, w);
 */
export class Graph {
  readonly nodes: GraphNode[] = [];
  private readonly names = new Map<string, number>();

  node(id: number): GraphNode {
    const node = this.nodes[id];
    if (!node) throw AppError.invalid(`graph has no node ${id}`);
    return node;
  }

  /** Data fed at every run (a batch, gathered embedding rows, a mask). */
  input(name: string, shape: Shape): Value {
    return this.named('input', name, shape);
  }

  /** A trainable tensor; the model owns its data and the optimizer its state. */
  param(name: string, shape: Shape): Value {
    return this.named('param', name, shape);
  }

  constant(value: Float32Array | number, shape: Shape = []): Value {
    const data = typeof value === 'number' ? new Float32Array(Math.max(1, sizeOf(shape))).fill(value) : value;
    if (data.length !== sizeOf(shape)) throw AppError.invalid(`constant of ${data.length} values does not fill shape [${shape.join(', ')}]`);
    return this.add_('constant', [], { value: data }, shape);
  }

  add(a: Value, b: Value): Value { return this.add_('add', [a.id, b.id], {}, broadcastShapes(a.shape, b.shape)); }
  sub(a: Value, b: Value): Value { return this.add_('sub', [a.id, b.id], {}, broadcastShapes(a.shape, b.shape)); }
  mul(a: Value, b: Value): Value { return this.add_('mul', [a.id, b.id], {}, broadcastShapes(a.shape, b.shape)); }
  div(a: Value, b: Value): Value { return this.add_('div', [a.id, b.id], {}, broadcastShapes(a.shape, b.shape)); }
  /** 1 where a == b, else 0 (no gradient). */
  equal(a: Value, b: Value): Value { return this.add_('equal', [a.id, b.id], {}, broadcastShapes(a.shape, b.shape)); }
  neg(a: Value): Value { return this.unary('neg', a); }
  exp(a: Value): Value { return this.unary('exp', a); }
  log(a: Value): Value { return this.unary('log', a); }
  sqrt(a: Value): Value { return this.unary('sqrt', a); }
  relu(a: Value): Value { return this.unary('relu', a); }
  /** 1 where a > 0, else 0 (no gradient): the derivative of relu. */
  step(a: Value): Value { return this.unary('step', a); }
  sigmoid(a: Value): Value { return this.unary('sigmoid', a); }
  tanh(a: Value): Value { return this.unary('tanh', a); }
  /** Identity forward, zero gradient (e.g. the max subtracted in a stable log-sum-exp). */
  stopGradient(a: Value): Value { return this.unary('stopGradient', a); }

  /** Matrix product over the last two axes; leading (batch) axes broadcast as in numpy / ONNX MatMul. */
  matmul(a: Value, b: Value): Value {
    if (a.shape.length < 2 || b.shape.length < 2) throw AppError.invalid(`matmul needs rank ≥ 2, got [${a.shape}] and [${b.shape}]`);
    const [m, k] = a.shape.slice(-2) as [number, number];
    const [k2, n] = b.shape.slice(-2) as [number, number];
    if (k !== k2) throw AppError.invalid(`matmul inner sizes differ: [${a.shape}] · [${b.shape}]`);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return this.add_('matmul', [a.id, b.id], {}, [...batch, m, n]);
  }

  transpose(a: Value, perm: number[]): Value {
    if (perm.length !== a.shape.length || [...perm].sort().some((p, i) => p !== i)) throw AppError.invalid(`transpose perm [${perm}] does not fit rank ${a.shape.length}`);
    return this.add_('transpose', [a.id], { perm }, perm.map((p) => a.shape[p]!));
  }

  /** Swaps the last two axes. */
  transposeLast(a: Value): Value {
    const perm = a.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
    return this.transpose(a, perm);
  }

  reshape(a: Value, shape: number[]): Value {
    if (sizeOf(shape) !== sizeOf(a.shape)) throw AppError.invalid(`cannot reshape [${a.shape}] to [${shape}]`);
    return this.add_('reshape', [a.id], { shape }, shape);
  }

  broadcastTo(a: Value, shape: number[]): Value {
    if (broadcastShapes(a.shape, shape).join() !== shape.join()) throw AppError.invalid(`cannot broadcast [${a.shape}] to [${shape}]`);
    return this.add_('broadcastTo', [a.id], { shape }, shape);
  }

  concat(values: Value[], axis: number): Value {
    const first = values[0];
    if (!first) throw AppError.invalid('concat of nothing');
    const ax = normAxis(axis, first.shape.length);
    const shape = [...first.shape];
    shape[ax] = values.reduce((s, v) => s + v.shape[ax]!, 0);
    for (const v of values) {
      if (v.shape.some((d, i) => i !== ax && d !== first.shape[i])) throw AppError.invalid(`concat shapes differ off axis ${ax}: [${first.shape}] vs [${v.shape}]`);
    }
    return this.add_('concat', values.map((v) => v.id), { axis: ax }, shape);
  }

  /** Elements [start, end) along one axis. */
  slice(a: Value, axis: number, start: number, end: number): Value {
    const ax = normAxis(axis, a.shape.length);
    if (start < 0 || end > a.shape[ax]! || start >= end) throw AppError.invalid(`slice [${start}, ${end}) outside axis ${ax} of size ${a.shape[ax]}`);
    const shape = [...a.shape];
    shape[ax] = end - start;
    return this.add_('slice', [a.id], { axis: ax, starts: [start], ends: [end] }, shape);
  }

  /** Zero padding: `pads` = [before_0, …, before_r-1, after_0, …, after_r-1] (the ONNX layout). */
  pad(a: Value, pads: number[]): Value {
    const r = a.shape.length;
    if (pads.length !== 2 * r || pads.some((p) => p < 0 || !Number.isInteger(p))) throw AppError.invalid(`pads must be 2×rank non-negative integers, got [${pads}]`);
    return this.add_('pad', [a.id], { pads }, a.shape.map((d, i) => d + pads[i]! + pads[i + r]!));
  }

  sum(a: Value, axes: number[], keepDims = false): Value {
    const ax = axes.map((x) => normAxis(x, a.shape.length));
    return this.add_('sum', [a.id], { axes: ax, keepDims }, reducedShape(a.shape, ax, keepDims));
  }

  mean(a: Value, axes: number[], keepDims = false): Value {
    const ax = axes.map((x) => normAxis(x, a.shape.length));
    const count = ax.reduce((n, i) => n * a.shape[i]!, 1);
    return this.mul(this.sum(a, ax, keepDims), this.constant(1 / count));
  }

  max(a: Value, axes: number[], keepDims = false): Value {
    const ax = axes.map((x) => normAxis(x, a.shape.length));
    return this.add_('max', [a.id], { axes: ax, keepDims }, reducedShape(a.shape, ax, keepDims));
  }

  softmax(a: Value, axis = -1): Value { return this.add_('softmax', [a.id], { axis: normAxis(axis, a.shape.length) }, a.shape); }
  logSoftmax(a: Value, axis = -1): Value { return this.add_('logSoftmax', [a.id], { axis: normAxis(axis, a.shape.length) }, a.shape); }

  /** Ids of the nodes the given nodes depend on, themselves included. */
  ancestors(ids: number[]): Set<number> {
    const seen = new Set<number>();
    const stack = [...ids];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...this.node(id).inputs);
    }
    return seen;
  }

  /** The nodes the outputs need, in id order (a topological order: inputs precede their users). */
  plan(outputs: Value[]): GraphNode[] {
    return [...this.ancestors(outputs.map((o) => o.id))].sort((a, b) => a - b).map((id) => this.node(id));
  }

  /** Node ids of the trainable params, by name. */
  params(): Map<string, number> {
    return new Map(this.nodes.filter((n) => n.op === 'param').map((n) => [n.name!, n.id]));
  }

  inputs(): Map<string, number> {
    return new Map(this.nodes.filter((n) => n.op === 'input').map((n) => [n.name!, n.id]));
  }

  private unary(op: OpName, a: Value): Value {
    return this.add_(op, [a.id], {}, a.shape);
  }

  private named(op: 'input' | 'param', name: string, shape: Shape): Value {
    if (this.names.has(name)) throw AppError.conflict(`graph already has a value named ${name}`);
    if (shape.some((d) => !Number.isInteger(d) || d < 1)) throw AppError.invalid(`${name}: every dimension must be a positive integer, got [${shape}]`);
    const value = this.add_(op, [], {}, shape, name);
    this.names.set(name, value.id);
    return value;
  }

  private add_(op: OpName, inputs: number[], attrs: NodeAttrs, shape: Shape, name?: string): Value {
    const id = this.nodes.length;
    this.nodes.push({ id, op, inputs, attrs, shape: [...shape], name });
    return { id, shape: [...shape] };
  }
}

function normAxis(axis: number, rank: number): number {
  const ax = axis < 0 ? rank + axis : axis;
  if (ax < 0 || ax >= rank) throw AppError.invalid(`axis ${axis} is outside rank ${rank}`);
  return ax;
}
