import { AppError } from '../../core/errors.js';
import type { Graph, GraphNode, Value } from '../graph.js';
import { sizeOf, type Shape } from '../shape.js';
import {
  attr, FLOAT, floatTensor, floatValueInfo, int64Tensor, IR_VERSION, OPSET,
  type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from './proto.js';

/** Param values by name, as a record or a map. */
export type ParamValues = Record<string, Float32Array> | Map<string, Float32Array>;

/** What `compileGraph` does with params and how it names things. */
export interface CompileOptions {
  /**
   * `'inputs'` (the default): every param the outputs need is a model input, fed at each run (training,
   * where the weights change every step). A name → data map: the params are baked into the model as
   * initializers (inference, export); every param the outputs need must then be in the map.
   */
  params?: 'inputs' | ParamValues;
  /** Names of the model outputs, one per output value; default `output0`, `output1`, … */
  outputNames?: string[];
  /** The ONNX graph name; default `shopwise`. */
  graphName?: string;
}

/** One model input: a graph `input` (data fed at every run) or a `param` fed as an input. */
export interface ModelInput {
  name: string;
  kind: 'input' | 'param';
  shape: Shape;
}

/** A compiled model and the names a caller binds data to and reads results from. */
export interface CompiledModel {
  model: ModelProto;
  /** The model's inputs, in order: only the inputs and params the outputs need. */
  inputs: ModelInput[];
  outputNames: string[];
}

/**
 * Compiles the part of a graph that `outputs` need into an ONNX model (opset 17): inputs and params
 * become float tensor inputs with static shapes (or params become initializers, see `params`),
 * constants become initializers, each output an Identity into a named output. Gradient nodes appended
 * by `gradients()` are ordinary nodes, so forward + backward compile into one model.
 *
 * @example
 * const { model, inputs } = compileGraph(g, [loss, ...grads]);
 * const session = await InferenceSession.create(serializeModel(model));
 */
export function compileGraph(graph: Graph, outputs: Value[], options: CompileOptions = {}): CompiledModel {
  const baked = options.params === undefined || options.params === 'inputs' ? undefined : toMap(options.params);
  const plan = graph.plan(outputs);
  const emit = new Emitter(plan);
  const inputs: ModelInput[] = [];
  const modelInputs: ValueInfoProto[] = [];
  for (const node of plan) {
    if (node.op !== 'input' && node.op !== 'param') continue;
    if (node.op === 'param' && baked) {
      const data = baked.get(node.name!);
      if (!data) throw AppError.invalid(`no data for param ${node.name}`, { field: node.name });
      if (data.length !== sizeOf(node.shape)) throw AppError.invalid(`${node.name} has ${data.length} values; its shape [${node.shape}] needs ${sizeOf(node.shape)}`, { field: node.name });
      emit.initializers.push(floatTensor(node.name!, node.shape, data));
    } else {
      inputs.push({ name: node.name!, kind: node.op, shape: node.shape });
      modelInputs.push(floatValueInfo(node.name!, node.shape));
    }
  }
  for (const node of plan) emitNode(emit, graph, node);

  const outputNames = options.outputNames ?? outputs.map((_, i) => emit.fresh(`output${i}`));
  if (outputNames.length !== outputs.length) throw AppError.invalid(`${outputs.length} outputs but ${outputNames.length} output names`, { field: 'outputNames' });
  if (new Set(outputNames).size !== outputNames.length) throw AppError.invalid(`output names repeat: ${outputNames.join(', ')}`, { field: 'outputNames' });
  outputs.forEach((out, i) => {
    const name = outputNames[i]!;
    if (options.outputNames && emit.used.has(name)) throw AppError.conflict(`output name ${name} is already a value of the model`, { field: 'outputNames' });
    emit.used.add(name);
    emit.node('Identity', [emit.nameOf(out.id)], [name]);
  });

  const model: ModelProto = {
    irVersion: IR_VERSION,
    producerName: 'shopwise',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: options.graphName ?? 'shopwise',
      node: emit.nodes,
      initializer: emit.initializers,
      input: modelInputs,
      output: outputs.map((o, i) => floatValueInfo(outputNames[i]!, o.shape)),
    },
  };
  return { model, inputs, outputNames };
}


/** Collects nodes and initializers, and hands out tensor names that never collide with input or param names. */
class Emitter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly used = new Set<string>();
  private readonly names = new Map<number, string>();
  private readonly int64Cache = new Map<string, string>();
  private zeroName: string | undefined;

  constructor(plan: GraphNode[]) {
    for (const node of plan) {
      if (node.name === undefined) continue;
      this.names.set(node.id, node.name);
      this.used.add(node.name);
    }
  }

  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  nameOf(id: number): string {
    let name = this.names.get(id);
    if (name === undefined) {
      name = this.fresh(`t${id}`);
      this.names.set(id, name);
    }
    return name;
  }

  node(opType: string, input: string[], output: string[], attribute: AttributeProto[] = []): void {
    this.nodes.push({ opType, input, output, attribute, name: `${opType}_${this.nodes.length}` });
  }

  /** A shared 1-D int64 initializer (shapes, axes, starts, pads). */
  int64(values: readonly number[]): string {
    const key = values.join(',');
    let name = this.int64Cache.get(key);
    if (name === undefined) {
      name = this.fresh(`i64_${values.length}_${this.int64Cache.size}`);
      this.initializers.push(int64Tensor(name, values));
      this.int64Cache.set(key, name);
    }
    return name;
  }

  /** The float scalar 0, for step (Greater(x, 0)). */
  zero(): string {
    if (this.zeroName === undefined) {
      this.zeroName = this.fresh('zero');
      this.initializers.push(floatTensor(this.zeroName, [], new Float32Array(1)));
    }
    return this.zeroName;
  }
}

const ELEMENTWISE: Partial<Record<GraphNode['op'], string>> = {
  add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div', neg: 'Neg', exp: 'Exp', log: 'Log', sqrt: 'Sqrt',
  relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', matmul: 'MatMul', stopGradient: 'Identity',
};

function emitNode(emit: Emitter, graph: Graph, node: GraphNode): void {
  if (node.op === 'input' || node.op === 'param') return;
  const out = emit.nameOf(node.id);
  const xs = node.inputs.map((i) => emit.nameOf(i));
  const x = xs[0]!;
  const attrs = node.attrs;
  const simple = ELEMENTWISE[node.op];
  if (simple) return emit.node(simple, xs, [out]);
  switch (node.op) {
    case 'constant':
      emit.initializers.push(floatTensor(out, node.shape, attrs.value!));
      return;
    case 'step': {
      const mask = emit.fresh(`${out}_gt`);
      emit.node('Greater', [x, emit.zero()], [mask]);
      return emit.node('Cast', [mask], [out], [attr('to', FLOAT)]);
    }
    case 'equal': {
      const mask = emit.fresh(`${out}_eq`);
      emit.node('Equal', xs, [mask]);
      return emit.node('Cast', [mask], [out], [attr('to', FLOAT)]);
    }
    case 'transpose': return emit.node('Transpose', [x], [out], [attr('perm', attrs.perm!)]);
    case 'reshape': return emit.node('Reshape', [x, emit.int64(attrs.shape!)], [out]);
    case 'broadcastTo': return emit.node('Expand', [x, emit.int64(attrs.shape!)], [out]);
    case 'concat': return emit.node('Concat', xs, [out], [attr('axis', attrs.axis!)]);
    case 'slice': return emit.node('Slice', [x, emit.int64(attrs.starts!), emit.int64(attrs.ends!), emit.int64([attrs.axis!])], [out]);
    case 'pad': return emit.node('Pad', [x, emit.int64(attrs.pads!)], [out]); // mode 'constant', value 0
    case 'sum': case 'max': {
      // Empty axes mean "reduce everything" in ONNX but "reduce nothing" in the graph IR.
      if (attrs.axes!.length === 0) return emit.node('Identity', [x], [out]);
      const keep = attr('keepdims', attrs.keepDims ? 1 : 0);
      return node.op === 'sum'
        ? emit.node('ReduceSum', [x, emit.int64(attrs.axes!)], [out], [keep])
        : emit.node('ReduceMax', [x], [out], [keep, attr('axes', attrs.axes!)]);
    }
    case 'softmax': return emit.node('Softmax', [x], [out], [attr('axis', attrs.axis!)]);
    case 'logSoftmax': return emit.node('LogSoftmax', [x], [out], [attr('axis', attrs.axis!)]);
    default:
      throw AppError.invalid(`the onnx backend has no mapping for op ${node.op} (node ${node.id} of ${graph.nodes.length})`);
  }
}

function toMap(values: ParamValues): Map<string, Float32Array> {
  return values instanceof Map ? values : new Map(Object.entries(values));
}
