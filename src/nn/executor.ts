import { CpuExecutor } from './cpu/cpu-executor.js';
import type { Graph, Value } from './graph.js';

export type Feed = Map<string, Float32Array> | Record<string, Float32Array>;

/**
 * What trainers need from a backend: run a graph built once, binding inputs and params by name, and
 * return the requested outputs. `CpuExecutor` fits (synchronously); the ONNX Runtime backend returns
 * a promise. Trainers always `await` the result, so either works.
 */
export interface Executor {
  run(inputs: Feed, params: Feed): Float32Array[] | Promise<Float32Array[]>;
}

/**
 * Makes an executor for a graph and its outputs (called once per graph); may be asynchronous, as
 * `OnnxExecutor.create` is.
 *
 * @example const onnx: ExecutorFactory = (g, outputs) => OnnxExecutor.create(g, outputs);
 */
export type ExecutorFactory = (graph: Graph, outputs: Value[]) => Executor | Promise<Executor>;

/**
 * The reference cpu backend as a factory.
 *
 * @example new TextCnn(config, rng, { executor: cpuExecutor });
 */
export const cpuExecutor: ExecutorFactory = (graph, outputs) => new CpuExecutor(graph, outputs);
