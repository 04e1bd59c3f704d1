import { AppError } from '../../core/errors.js';
import { sizeOf, type Shape } from '../shape.js';

/** The format version this build writes and reads. Bump it on any layout change. */
export const PARAM_FILE_VERSION = 1;
const MAGIC = [0x53, 0x57, 0x50, 0x4d]; // "SWPM"

export interface ParamTensor {
  name: string;
  shape: Shape;
  data: Float32Array;
}

interface Header {
  format: 'shopwise-params';
  version: number;
  meta: Record<string, unknown>;
  tensors: { name: string; shape: number[]; offset: number }[];
}

/**
 * Encodes named float32 tensors as one binary file:
 * `"SWPM"` · u32 version · u32 header byte length · UTF-8 JSON header (names, shapes, offsets, meta)
 * · zero padding to 4 bytes · float32 little-endian data.
 *
 * @example const bytes = encodeParams([{ name: 'w', shape: [2, 2], data }], { model: 'demo' });
 */
export function encodeParams(tensors: ParamTensor[], meta: Record<string, unknown>): Uint8Array {
  let offset = 0;
  const header: Header = {
    format: 'shopwise-params', version: PARAM_FILE_VERSION, meta,
    tensors: tensors.map((t) => {
      const entry = { name: t.name, shape: [...t.shape], offset };
      offset += t.data.length;
      return entry;
    }),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align4(12 + json.length);
  const bytes = new Uint8Array(dataStart + offset * 4);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, PARAM_FILE_VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  let at = dataStart;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i]!, true);
  }
  return bytes;
}

/**
 * Decodes a file written by `encodeParams`; AppError `invalid` on a wrong magic, an unsupported version,
 * a damaged header or a length that does not match the shapes.
 *
 * @example const { tensors, meta } = decodeParams(bytes);
 */
export function decodeParams(bytes: Uint8Array): { tensors: ParamTensor[]; meta: Record<string, unknown> } {
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) throw AppError.invalid('not a Shopwise param file (bad magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== PARAM_FILE_VERSION) throw AppError.invalid(`param file format version ${version} is not supported; this build reads version ${PARAM_FILE_VERSION}`, { field: 'version', value: version });
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw AppError.invalid('param file is truncated (header)');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as Header;
  } catch (cause) {
    throw new AppError('invalid', 'param file header is not valid JSON', {}, { cause });
  }
  if (header.format !== 'shopwise-params' || header.version !== version || !Array.isArray(header.tensors)) throw AppError.invalid('param file header is damaged');
  const dataStart = align4(12 + headerLength);
  const total = header.tensors.reduce((n, t) => n + sizeOf(t.shape), 0);
  if (bytes.length !== dataStart + total * 4) throw AppError.invalid(`param file holds ${bytes.length} bytes; its header describes ${dataStart + total * 4}`);
  const tensors = header.tensors.map((t) => {
    if (!Array.isArray(t.shape) || t.shape.some((d) => !Number.isInteger(d) || d < 0)) throw AppError.invalid(`param file gives ${t.name} a bad shape`, { field: t.name });
    const data = new Float32Array(sizeOf(t.shape));
    let at = dataStart + t.offset * 4;
    for (let i = 0; i < data.length; i++, at += 4) data[i] = view.getFloat32(at, true);
    return { name: t.name, shape: t.shape, data };
  });
  return { tensors, meta: header.meta ?? {} };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
