import { InferenceSession, Tensor } from 'onnxruntime-node';
import { AppError } from '../../core/errors.js';
import type { Graph, Value } from '../graph.js';
import { sizeOf } from '../shape.js';
import { compileGraph, type ModelInput, type ParamValues } from './compile-graph.js';
import { serializeModel } from './proto.js';

/** Arrays by input or param name, as a record or a map (the argument shape of `CpuExecutor.run`). */
export type Feeds = Record<string, Float32Array> | Map<string, Float32Array>;

/** How `OnnxExecutor.create` builds its session. */
export interface OnnxExecutorOptions {
  /**
   * `'inputs'` (the default): params are fed at every run, as for training where the weights change
   * each step. A name → data map: the params are baked into the model as initializers, for inference;
   * `run` then needs only the graph's inputs, and later changes to those arrays are not seen.
   */
  params?: 'inputs' | ParamValues;
  /** Threads one operator may use (onnxruntime's intra-op pool); default 1, best for small graphs. */
  intraOpNumThreads?: number;
  /** onnxruntime's graph optimisations; default 'all'. */
  graphOptimizationLevel?: InferenceSession.SessionOptions['graphOptimizationLevel'];
}

interface Feed extends ModelInput {
  /** The array last fed to this input and the tensor wrapping it, reused while the caller passes the same array. */
  data?: Float32Array;
  tensor?: Tensor;
}

/**
 * The fast backend: the part of a graph that `outputs` need (forward, and the backward nodes that
 * `gradients()` appended) compiled once into an ONNX model and run by onnxruntime. `run` takes the same
 * arguments as `CpuExecutor.run` and returns the outputs in the same order; nothing is rebuilt per call,
 * and the tensor wrapping an input array is reused while the same array is passed again (an in-place
 * weight update is seen by the next run, since the tensor shares the array's memory).
 *
 * @example
 * const step = await OnnxExecutor.create(g, [loss, ...grads]);
 * const [l, gw] = await step.run({ x }, { w });
 * const infer = await OnnxExecutor.create(g, [probs], { params: { w } }); // weights baked in
 * const [p] = await infer.run({ x });
 */
export class OnnxExecutor {
  private constructor(
    private readonly session: InferenceSession,
    private readonly feeds: Feed[],
    private readonly outputNames: string[],
  ) {}

  /** Compiles the graph and builds the onnxruntime session (once). */
  static async create(graph: Graph, outputs: Value[], options: OnnxExecutorOptions = {}): Promise<OnnxExecutor> {
    const compiled = compileGraph(graph, outputs, { params: options.params ?? 'inputs' });
    const session = await InferenceSession.create(serializeModel(compiled.model), {
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    });
    return new OnnxExecutor(session, compiled.inputs.map((i) => ({ ...i })), compiled.outputNames);
  }

  /** The graph inputs and params this executor reads at each run. */
  get inputs(): readonly ModelInput[] {
    return this.feeds.map(({ name, kind, shape }) => ({ name, kind, shape }));
  }

  async run(inputs: Feeds = {}, params: Feeds = {}): Promise<Float32Array[]> {
    const feed: Record<string, Tensor> = {};
    for (const slot of this.feeds) {
      const source = slot.kind === 'input' ? inputs : params;
      const data = source instanceof Map ? source.get(slot.name) : source[slot.name];
      feed[slot.name] = tensorFor(slot, data);
    }
    const results = await this.session.run(feed);
    return this.outputNames.map((name) => results[name]!.data as Float32Array);
  }

  /** Frees the native session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

function tensorFor(slot: Feed, data: Float32Array | undefined): Tensor {
  if (data === slot.data && slot.tensor) return slot.tensor;
  if (!data) throw AppError.invalid(`no data for ${slot.kind} ${slot.name}`, { field: slot.name });
  if (!(data instanceof Float32Array)) throw AppError.invalid(`${slot.name} must be a Float32Array`, { field: slot.name });
  if (data.length !== sizeOf(slot.shape)) throw AppError.invalid(`${slot.name} has ${data.length} values; its shape [${slot.shape}] needs ${sizeOf(slot.shape)}`, { field: slot.name });
  slot.data = data;
  slot.tensor = new Tensor('float32', data, [...slot.shape]);
  return slot.tensor;
}
