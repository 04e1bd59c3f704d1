import type { Graph, Value } from '../graph.js';
import { compileGraph, type ParamValues } from './compile-graph.js';
import { serializeModel } from './proto.js';

/** Names in the exported model. */
export interface ExportOptions {
  /** Names of the model outputs, one per output value; default `output0`, `output1`, … */
  outputNames?: string[];
  /** The ONNX graph name; default `shopwise`. */
  graphName?: string;
}

/**
 * A standalone `.onnx` file (opset 17) computing `outputs`: the params are initializers, and only the
 * graph's `input` nodes that the outputs need are model inputs, so any ONNX runtime can serve it
 * (`InferenceSession.create(path)` in onnxruntime-node, onnxruntime in Python, …). Every param the
 * outputs need must be in `params`.
 *
 * @example
 * const bytes = exportOnnx(g, [probs], { w1, b1, w2, b2 }, { outputNames: ['probs'] });
 * writeFileSync('ranker.onnx', bytes);
 */
export function exportOnnx(graph: Graph, outputs: Value[], params: ParamValues, options: ExportOptions = {}): Uint8Array {
  const { model } = compileGraph(graph, outputs, { params, ...options });
  return serializeModel(model);
}
