import { AppError } from '../core/errors.js';

/** The format version of recommender files this build writes and reads. */
export const MODEL_FILE_VERSION = 1;
const MAGIC = [0x53, 0x57, 0x52, 0x4d]; // "SWRM"

/** The typed arrays a model file holds, stored bit for bit (so a loaded model scores identically). */
export type ModelArray = Float32Array | Float64Array | Int32Array;
const KINDS = { f32: Float32Array, f64: Float64Array, i32: Int32Array } as const;
type Kind = keyof typeof KINDS;

interface Header {
  format: 'shopwise-recommender';
  version: number;
  model: string;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
  arrays: { name: string; kind: Kind; offset: number; length: number }[];
}

/** What a model file holds: the model name, its params, plain-JSON state and named arrays. */
export interface ModelFile {
  model: string;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
  arrays: Record<string, ModelArray>;
}

function kindOf(a: ModelArray): Kind {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  return 'i32';
}

/**
 * Encodes a trained model: `"SWRM"` · u32 version · u32 header length · JSON header · padding to 8
 * bytes · the arrays, each 8-byte aligned, little-endian.
 *
 * @example const bytes = encodeModel({ model: 'svd', params, state: { mean }, arrays: { p, q } });
 */
export function encodeModel(file: ModelFile): Uint8Array {
  let offset = 0;
  const entries = Object.entries(file.arrays).map(([name, array]) => {
    const entry = { name, kind: kindOf(array), offset, length: array.length };
    offset += align8(array.byteLength);
    return entry;
  });
  const header: Header = { format: 'shopwise-recommender', version: MODEL_FILE_VERSION, model: file.model, params: file.params, state: file.state, arrays: entries };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align8(12 + json.length);
  const bytes = new Uint8Array(dataStart + offset);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, MODEL_FILE_VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  for (const entry of entries) {
    const array = file.arrays[entry.name]!;
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), dataStart + entry.offset);
  }
  return bytes;
}

/**
 * Decodes a file written by `encodeModel`. `expectModel` checks it is that model's file. Throws
 * `AppError('invalid')` on a wrong magic, version, model or a damaged file.
 *
 * @example const { params, state, arrays } = decodeModel(bytes, 'svd');
 */
export function decodeModel(bytes: Uint8Array, expectModel?: string): ModelFile {
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) throw AppError.invalid('not a Shopwise recommender file (bad magic bytes)', { field: 'model' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== MODEL_FILE_VERSION) throw AppError.invalid(`recommender file version ${version} is not supported; this build reads version ${MODEL_FILE_VERSION}`, { field: 'version' });
  const length = view.getUint32(8, true);
  if (12 + length > bytes.length) throw AppError.invalid('recommender file is truncated (header)', { field: 'model' });
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as Header;
  } catch (cause) {
    throw new AppError('invalid', 'recommender file header is not valid JSON', { field: 'model' }, { cause });
  }
  if (header.format !== 'shopwise-recommender' || !Array.isArray(header.arrays)) throw AppError.invalid('recommender file header is damaged', { field: 'model' });
  if (expectModel !== undefined && header.model !== expectModel) throw AppError.invalid(`this is a ${header.model} model file, not ${expectModel}`, { field: 'model' });
  const dataStart = align8(12 + length);
  const arrays: Record<string, ModelArray> = {};
  for (const entry of header.arrays) {
    const Ctor = KINDS[entry.kind];
    if (!Ctor) throw AppError.invalid(`recommender file: array ${entry.name} has unknown kind ${entry.kind}`, { field: 'model' });
    const start = dataStart + entry.offset;
    const end = start + entry.length * Ctor.BYTES_PER_ELEMENT;
    if (end > bytes.length) throw AppError.invalid(`recommender file is truncated (array ${entry.name})`, { field: 'model' });
    // Copy into fresh aligned memory: the input may sit at any offset of a larger buffer.
    arrays[entry.name] = new Ctor(bytes.slice(start, end).buffer);
  }
  return { model: header.model, params: header.params ?? {}, state: header.state ?? {}, arrays };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * The array `name` of a decoded file, checked for its kind and (when given) its length.
 *
 * @example this.p = arrayOf(file, 'p', Float32Array, users * factors);
 */
export function arrayOf<T extends ModelArray>(file: ModelFile, name: string, kind: { new (n: number): T; name: string }, length?: number): T {
  const array = file.arrays[name];
  if (!(array instanceof (kind as unknown as typeof Float32Array))) throw AppError.invalid(`${file.model} file: array ${name} is missing or not a ${kind.name}`, { field: 'model' });
  if (length !== undefined && array.length !== length) throw AppError.invalid(`${file.model} file: array ${name} holds ${array.length} values, expected ${length}`, { field: 'model' });
  return array as unknown as T;
}
