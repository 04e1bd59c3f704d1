import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { Shape } from '../shape.js';

// onnx-proto is CommonJS (protobufjs static code, module.exports = root): take the namespace off the default export.
const { onnx } = onnxProto;

export type ModelProto = OnnxTypes.IModelProto;
export type NodeProto = OnnxTypes.INodeProto;
export type TensorProto = OnnxTypes.ITensorProto;
export type ValueInfoProto = OnnxTypes.IValueInfoProto;
export type AttributeProto = OnnxTypes.IAttributeProto;

/** The opset every compiled model imports (the default ONNX domain). */
export const OPSET = 17;
/** IR version 8 (ONNX 1.10–1.13) carries opset 17; onnx-proto's schema is ONNX 1.10's. */
export const IR_VERSION = 8;

export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;

/**
 * A float32 initializer; the bytes are little-endian raw data (every platform onnxruntime runs on).
 *
 * @example floatTensor('w', [2, 2], Float32Array.of(1, 0, 0, 1))
 */
export function floatTensor(name: string, dims: Shape, data: Float32Array): TensorProto {
  return { name, dims: [...dims], dataType: FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/**
 * A 1-D int64 initializer, the form Reshape, Expand, Slice, Pad and ReduceSum take their shape and axes in.
 *
 * @example int64Tensor('shape', [3, 4])
 */
export function int64Tensor(name: string, values: readonly number[]): TensorProto {
  const data = BigInt64Array.from(values, (v) => BigInt(v));
  return { name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(data.buffer) };
}

/**
 * The type of a graph input or output: a float tensor of a static shape.
 *
 * @example floatValueInfo('x', [64, 128])
 */
export function floatValueInfo(name: string, shape: Shape): ValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d) => ({ dimValue: d })) } } } };
}

/**
 * An int or ints attribute (the only kinds the compiler emits).
 *
 * @example attr('perm', [1, 0]); attr('keepdims', 0)
 */
export function attr(name: string, value: number | readonly number[]): AttributeProto {
  return typeof value === 'number'
    ? { name, type: onnx.AttributeProto.AttributeType.INT, i: value }
    : { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...value] };
}

/**
 * The protobuf bytes of a model: what `InferenceSession.create` takes and what a `.onnx` file holds.
 *
 * @example writeFileSync('model.onnx', serializeModel(compileGraph(g, [y]).model))
 */
export function serializeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/**
 * Parses `.onnx` bytes back into a ModelProto (to inspect an exported file).
 *
 * @example decodeModel(readFileSync('model.onnx')).graph?.input?.map((i) => i.name)
 */
export function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
