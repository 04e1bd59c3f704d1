import { AppError } from '../core/errors.js';
import { IdIndex } from './interactions.js';
import { arrayOf, decodeModel, encodeModel } from './model-file.js';
import type { TrainingData } from './training-data.js';

/** How many of a user's latest positive interactions a served model keeps for sequential models. */
export const MAX_SERVED_HISTORY = 200;

const FORMAT = 'shopwise-trained-model';
const FORMAT_VERSION = 1;

/**
 * What serving needs besides the fitted recommender, on the dense indices of its training data:
 * every user's positive items and weights (CSR), rejected items (CSR), latest history (CSR, oldest
 * first, at most {@link MAX_SERVED_HISTORY}), each item's category path and popularity.
 */
export interface ServingState {
  users: IdIndex;
  items: IdIndex;
  rowPtr: Int32Array;
  rowItems: Int32Array;
  rowValues: Float32Array;
  negPtr: Int32Array;
  negItems: Int32Array;
  seqPtr: Int32Array;
  seqItems: Int32Array;
  /** Distinct users with positive feedback per item. */
  popularity: Float32Array;
  /** Category path per item, root first (empty when unknown). */
  categories: string[][];
}

/**
 * The serving state of a training data set (what `TrainedModel.fromTraining` keeps).
 *
 * @example const state = servingStateOf(new TrainingData(interactions));
 */
export function servingStateOf(data: TrainingData): ServingState {
  const m = data.matrix();
  const negPtr = new Int32Array(data.numUsers + 1);
  const negatives: number[] = [];
  const seqPtr = new Int32Array(data.numUsers + 1);
  const sequences: number[] = [];
  for (let u = 0; u < data.numUsers; u++) {
    for (const i of data.negativeItems(u)) negatives.push(i);
    negPtr[u + 1] = negatives.length;
    const seq = data.sequence(u);
    for (let k = Math.max(0, seq.length - MAX_SERVED_HISTORY); k < seq.length; k++) sequences.push(seq[k]!);
    seqPtr[u + 1] = sequences.length;
  }
  return {
    users: data.source.users,
    items: data.source.items,
    rowPtr: Int32Array.from(m.indptr),
    rowItems: Int32Array.from(m.indices),
    rowValues: Float32Array.from(m.values),
    negPtr,
    negItems: Int32Array.from(negatives),
    seqPtr,
    seqItems: Int32Array.from(sequences),
    popularity: Float32Array.from(data.itemCounts()),
    categories: Array.from({ length: data.numItems }, (_, i) => data.itemInfo(i)?.category?.slice() ?? []),
  };
}

/**
 * One blob holding a fitted model's `save()` bytes and its serving state, so a served model loads
 * from the model store alone. The container is the recommender file format (model-file.ts); the
 * model's own bytes ride in it as an Int32Array padded to 4 bytes (arrays are stored bit for bit, so
 * the bytes come back unchanged) with their true length in the state.
 *
 * @example const blob = encodeTrainedModel(model.save(), 'ease', state);
 */
export function encodeTrainedModel(modelBytes: Uint8Array, recommender: string, state: ServingState): Uint8Array {
  const padded = new Uint8Array(Math.ceil(modelBytes.length / 4) * 4);
  padded.set(modelBytes);
  return encodeModel({
    model: FORMAT,
    params: { recommender },
    state: {
      version: FORMAT_VERSION, modelBytes: modelBytes.length,
      users: state.users.ids(), items: state.items.ids(), categories: state.categories.map((c) => (c.length === 0 ? null : c)),
    },
    arrays: {
      model: new Int32Array(padded.buffer),
      rowPtr: state.rowPtr, rowItems: state.rowItems, rowValues: state.rowValues,
      negPtr: state.negPtr, negItems: state.negItems, seqPtr: state.seqPtr, seqItems: state.seqItems,
      popularity: state.popularity,
    },
  });
}

/**
 * The model bytes and serving state of a blob written by {@link encodeTrainedModel}; a blob of
 * another kind or a damaged one is an `AppError('invalid')`.
 *
 * @example const { modelBytes, state } = decodeTrainedModel(blob);
 */
export function decodeTrainedModel(blob: Uint8Array): { recommender: string; modelBytes: Uint8Array; state: ServingState } {
  const file = decodeModel(blob);
  if (file.model !== FORMAT) throw AppError.invalid(`this is a bare ${file.model} model file, not a served model (${FORMAT}); train it through the training jobs`, { field: 'model' });
  const s = file.state as { version?: number; modelBytes?: number; users?: string[]; items?: string[]; categories?: (string[] | null)[] };
  if (s.version !== FORMAT_VERSION) throw AppError.invalid(`served model format version ${s.version} is not supported; this build reads version ${FORMAT_VERSION}`, { field: 'version' });
  if (!Array.isArray(s.users) || !Array.isArray(s.items) || !Array.isArray(s.categories) || typeof s.modelBytes !== 'number') {
    throw AppError.invalid('served model file: the id lists are missing', { field: 'model' });
  }
  const users = new IdIndex(s.users);
  const items = new IdIndex(s.items);
  if (users.size !== s.users.length || items.size !== s.items.length) throw AppError.invalid('served model file: the id lists hold duplicates', { field: 'model' });
  const packed = arrayOf(file, 'model', Int32Array);
  if (s.modelBytes > packed.byteLength) throw AppError.invalid('served model file: the model bytes are truncated', { field: 'model' });
  const nu = users.size;
  const ni = items.size;
  const rowPtr = arrayOf(file, 'rowPtr', Int32Array, nu + 1);
  const negPtr = arrayOf(file, 'negPtr', Int32Array, nu + 1);
  const seqPtr = arrayOf(file, 'seqPtr', Int32Array, nu + 1);
  const state: ServingState = {
    users, items, rowPtr, negPtr, seqPtr,
    rowItems: arrayOf(file, 'rowItems', Int32Array, rowPtr[nu]),
    rowValues: arrayOf(file, 'rowValues', Float32Array, rowPtr[nu]),
    negItems: arrayOf(file, 'negItems', Int32Array, negPtr[nu]),
    seqItems: arrayOf(file, 'seqItems', Int32Array, seqPtr[nu]),
    popularity: arrayOf(file, 'popularity', Float32Array, ni),
    categories: Array.from({ length: ni }, (_, i) => s.categories![i] ?? []),
  };
  for (const a of [state.rowItems, state.negItems, state.seqItems]) {
    for (let k = 0; k < a.length; k++) if (!(a[k]! >= 0 && a[k]! < ni)) throw AppError.invalid(`served model file: item index ${a[k]} out of range`, { field: 'model' });
  }
  return { recommender: String(file.params.recommender), modelBytes: new Uint8Array(packed.buffer, packed.byteOffset, s.modelBytes), state };
}
