import { AppError } from '../../core/errors.js';
import type { Graph, GraphNode, Value } from '../graph.js';
import { sizeOf } from '../shape.js';
import { binary, broadcastIndex } from './broadcast.js';
import { concat, matmul, pad, reduce, slice, softmax, transpose } from './kernels.js';

export type Tensors = Map<string, Float32Array>;

/**
 * The reference backend: interprets a graph on typed arrays. The plan (which nodes feed the outputs,
 * in order) is made once, so repeated runs do not re-walk the graph.
 *
 * @example const run = new CpuExecutor(g, [loss, ...grads]); const [l, gw] = run.run({ x }, { w });
 */
export class CpuExecutor {
  private readonly plan: GraphNode[];

  constructor(private readonly graph: Graph, private readonly outputs: Value[]) {
    this.plan = graph.plan(outputs);
  }

  run(inputs: Record<string, Float32Array> | Tensors, params: Record<string, Float32Array> | Tensors): Float32Array[] {
    const feed = toMap(inputs);
    const weights = toMap(params);
    const values = new Map<number, Float32Array>();
    for (const node of this.plan) values.set(node.id, this.evaluate(node, values, feed, weights));
    return this.outputs.map((o) => values.get(o.id)!);
  }

  private evaluate(node: GraphNode, values: Map<number, Float32Array>, feed: Tensors, weights: Tensors): Float32Array {
    const x = (i: number) => values.get(node.inputs[i]!)!;
    const xs = (i: number) => this.graph.node(node.inputs[i]!).shape;
    const unary = (f: (v: number) => number) => x(0).map(f);
    const bin = (f: (a: number, b: number) => number) => binary(x(0), xs(0), x(1), xs(1), node.shape, f);
    switch (node.op) {
      case 'input': case 'param': {
        const data = (node.op === 'input' ? feed : weights).get(node.name!);
        if (!data) throw AppError.invalid(`no data for ${node.op} ${node.name}`, { field: node.name });
        if (data.length !== sizeOf(node.shape)) throw AppError.invalid(`${node.name} has ${data.length} values; its shape [${node.shape}] needs ${sizeOf(node.shape)}`, { field: node.name });
        return data;
      }
      case 'constant': return node.attrs.value!;
      case 'add': return bin((a, b) => a + b);
      case 'sub': return bin((a, b) => a - b);
      case 'mul': return bin((a, b) => a * b);
      case 'div': return bin((a, b) => a / b);
      case 'equal': return bin((a, b) => (a === b ? 1 : 0));
      case 'neg': return unary((v) => -v);
      case 'exp': return unary(Math.exp);
      case 'log': return unary(Math.log);
      case 'sqrt': return unary(Math.sqrt);
      case 'relu': return unary((v) => (v > 0 ? v : 0));
      case 'step': return unary((v) => (v > 0 ? 1 : 0));
      case 'sigmoid': return unary((v) => 1 / (1 + Math.exp(-v)));
      case 'tanh': return unary(Math.tanh);
      case 'stopGradient': return x(0);
      case 'matmul': return matmul(x(0), xs(0), x(1), xs(1), node.shape);
      case 'transpose': return transpose(x(0), xs(0), node.attrs.perm!);
      case 'reshape': return x(0);
      case 'broadcastTo': {
        const index = broadcastIndex(node.shape, xs(0));
        const a = x(0);
        return Float32Array.from(index, (i) => a[i]!);
      }
      case 'concat': return concat(node.inputs.map((_, i) => x(i)), node.inputs.map((_, i) => xs(i)), node.attrs.axis!);
      case 'slice': return slice(x(0), xs(0), node.attrs.axis!, node.attrs.starts![0]!, node.attrs.ends![0]!);
      case 'pad': return pad(x(0), xs(0), node.attrs.pads!, node.shape);
      case 'sum': return reduce(x(0), xs(0), node.attrs.axes!, 0, (acc, v) => acc + v);
      case 'max': return reduce(x(0), xs(0), node.attrs.axes!, -Infinity, (acc, v) => (v > acc ? v : acc));
      case 'softmax': return softmax(x(0), xs(0), node.attrs.axis!, false);
      case 'logSoftmax': return softmax(x(0), xs(0), node.attrs.axis!, true);
    }
  }
}

function toMap(values: Record<string, Float32Array> | Tensors): Tensors {
  return values instanceof Map ? values : new Map(Object.entries(values));
}
