import { AppError } from '../core/errors.js';
import type { Graph, GraphNode, Value } from './graph.js';
import type { Shape } from './shape.js';

/**
 * Reverse-mode differentiation on the graph itself: appends the backward pass as ordinary nodes and
 * returns, for each value in `wrt`, the node holding d(loss)/d(value). Because the gradient is graph,
 * the cpu backend interprets it and the onnx backend compiles it, with no second implementation.
 *
 * @example const grads = gradients(g, loss, [w, b]); // grads.get(w.id) is a Value shaped like w
 */
export function gradients(g: Graph, loss: Value, wrt: Value[]): Map<number, Value> {
  if (loss.shape.length !== 0) throw AppError.invalid(`the loss must be a scalar, got shape [${loss.shape}]`);
  const needed = g.ancestors([loss.id]);
  const grads = new Map<number, Value>([[loss.id, g.constant(1)]]);
  const accumulate = (id: number, grad: Value) => {
    const current = grads.get(id);
    grads.set(id, current ? g.add(current, grad) : grad);
  };
  // Gradients of slices of one tensor are gathered and joined once (see joinSliceGradients), because
  // an unrolled RNN slices every time step: a pad + add per slice would make the backward pass O(L²).
  const sliceGrads = new Map<number, SliceGrad[]>();
  for (let id = loss.id; id >= 0; id--) {
    const slices = sliceGrads.get(id);
    if (slices) for (const grad of joinSliceGradients(g, g.node(id).shape, slices)) accumulate(id, grad);
    const upstream = grads.get(id);
    if (!upstream || !needed.has(id)) continue;
    const node = g.node(id);
    if (node.op === 'slice') {
      const source = node.inputs[0]!;
      const list = sliceGrads.get(source) ?? [];
      list.push({ axis: node.attrs.axis!, start: node.attrs.starts![0]!, end: node.attrs.ends![0]!, grad: upstream });
      sliceGrads.set(source, list);
      continue;
    }
    const inputs = node.inputs.map((i) => ({ id: i, shape: g.node(i).shape }));
    const output = { id, shape: node.shape };
    for (const [index, grad] of rule(g, node, inputs, output, upstream)) accumulate(inputs[index]!.id, grad);
  }
  const result = new Map<number, Value>();
  for (const v of wrt) result.set(v.id, grads.get(v.id) ?? g.constant(new Float32Array(sizeOfShape(v.shape)), v.shape));
  return result;
}

type Rule = [inputIndex: number, grad: Value][];

function rule(g: Graph, node: GraphNode, x: Value[], y: Value, dy: Value): Rule {
  const [a, b] = x as [Value, Value];
  switch (node.op) {
    case 'input': case 'param': case 'constant': case 'step': case 'equal': case 'stopGradient':
      return [];
    case 'add': return [[0, reduceTo(g, dy, a.shape)], [1, reduceTo(g, dy, b.shape)]];
    case 'sub': return [[0, reduceTo(g, dy, a.shape)], [1, reduceTo(g, g.neg(dy), b.shape)]];
    case 'mul': return [[0, reduceTo(g, g.mul(dy, b), a.shape)], [1, reduceTo(g, g.mul(dy, a), b.shape)]];
    case 'div': return [
      [0, reduceTo(g, g.div(dy, b), a.shape)],
      [1, reduceTo(g, g.neg(g.div(g.mul(dy, y), b)), b.shape)],
    ];
    case 'neg': return [[0, g.neg(dy)]];
    case 'exp': return [[0, g.mul(dy, y)]];
    case 'log': return [[0, g.div(dy, a)]];
    case 'sqrt': return [[0, g.div(dy, g.mul(y, g.constant(2)))]];
    case 'relu': return [[0, g.mul(dy, g.step(a))]];
    case 'sigmoid': return [[0, g.mul(dy, g.mul(y, g.sub(g.constant(1), y)))]];
    case 'tanh': return [[0, g.mul(dy, g.sub(g.constant(1), g.mul(y, y)))]];
    case 'matmul': {
      // dA = dY·Bᵀ, dB = Aᵀ·dY, then summed over broadcast batch axes.
      return [[0, reduceTo(g, g.matmul(dy, g.transposeLast(b)), a.shape)], [1, reduceTo(g, g.matmul(g.transposeLast(a), dy), b.shape)]];
    }
    case 'transpose': {
      const perm = node.attrs.perm!;
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return [[0, g.transpose(dy, inverse)]];
    }
    case 'reshape': return [[0, g.reshape(dy, [...a.shape])]];
    case 'broadcastTo': return [[0, reduceTo(g, dy, a.shape)]];
    case 'concat': {
      const axis = node.attrs.axis!;
      let offset = 0;
      return x.map((v, i) => {
        const part = g.slice(dy, axis, offset, offset + v.shape[axis]!);
        offset += v.shape[axis]!;
        return [i, part] as [number, Value];
      });
    }
    case 'slice': return []; // handled in gradients() through joinSliceGradients
    case 'pad': {
      const pads = node.attrs.pads!;
      let grad = dy;
      a.shape.forEach((d, axis) => {
        if (pads[axis] !== 0 || pads[axis + a.shape.length] !== 0) grad = g.slice(grad, axis, pads[axis]!, pads[axis]! + d);
      });
      return [[0, grad]];
    }
    case 'sum': return [[0, g.broadcastTo(keepDims(g, dy, node), [...a.shape])]];
    case 'max': {
      // The gradient goes to the arg-max positions (all of them on a tie).
      const mask = g.equal(a, g.broadcastTo(keepDims(g, y, node), [...a.shape]));
      return [[0, g.mul(mask, g.broadcastTo(keepDims(g, dy, node), [...a.shape]))]];
    }
    case 'softmax': {
      const axis = node.attrs.axis!;
      const dot = g.sum(g.mul(dy, y), [axis], true);
      return [[0, g.mul(y, g.sub(dy, dot))]];
    }
    case 'logSoftmax': {
      const axis = node.attrs.axis!;
      return [[0, g.sub(dy, g.mul(g.exp(y), g.sum(dy, [axis], true)))]];
    }
  }
}

interface SliceGrad {
  axis: number;
  start: number;
  end: number;
  grad: Value;
}

/**
 * The gradient of a tensor from the gradients of its slices: slices along one axis that do not overlap
 * become one concat with zero blocks in the gaps; any others are zero-padded one by one (and summed).
 */
function joinSliceGradients(g: Graph, shape: Shape, slices: SliceGrad[]): Value[] {
  const axis = slices[0]!.axis;
  const sorted = [...slices].sort((a, b) => a.start - b.start);
  const disjoint = slices.every((s) => s.axis === axis) && sorted.every((s, i) => i === 0 || s.start >= sorted[i - 1]!.end);
  const padded = (s: SliceGrad) => {
    const pads = new Array<number>(2 * shape.length).fill(0);
    pads[s.axis] = s.start;
    pads[s.axis + shape.length] = shape[s.axis]! - s.end;
    return g.pad(s.grad, pads);
  };
  if (!disjoint || slices.length === 1) return slices.map(padded);
  const zeros = (from: number, to: number) => {
    const blockShape = shape.map((d, i) => (i === axis ? to - from : d));
    return g.constant(new Float32Array(blockShape.reduce((n, d) => n * d, 1)), blockShape);
  };
  const parts: Value[] = [];
  let at = 0;
  for (const s of sorted) {
    if (s.start > at) parts.push(zeros(at, s.start));
    parts.push(s.grad);
    at = s.end;
  }
  if (at < shape[axis]!) parts.push(zeros(at, shape[axis]!));
  return [g.concat(parts, axis)];
}

/** Re-inserts the reduced axes of a reduction output as size 1, so it broadcasts against the input. */
function keepDims(g: Graph, v: Value, node: GraphNode): Value {
  if (node.attrs.keepDims) return v;
  const input = g.node(node.inputs[0]!).shape;
  return g.reshape(v, input.map((d, i) => (node.attrs.axes!.includes(i) ? 1 : d)));
}

/** Sums a broadcast gradient back to the shape of the operand it was broadcast from. */
export function reduceTo(g: Graph, grad: Value, shape: Shape): Value {
  if (grad.shape.join() === shape.join()) return grad;
  const offset = grad.shape.length - shape.length;
  const axes: number[] = [];
  grad.shape.forEach((d, i) => {
    if (i < offset || (shape[i - offset] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length > 0 ? g.sum(grad, axes, true) : grad;
  return g.reshape(summed, [...shape]);
}


function sizeOfShape(shape: Shape): number {
  return shape.reduce((n, d) => n * d, 1);
}
