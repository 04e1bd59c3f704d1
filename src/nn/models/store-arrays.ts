import { AppError } from '../../core/errors.js';
import type { ParamStore } from '../layers/param-store.js';

/**
 * Every tensor of a param store (in-graph weights and embedding tables) by name, by reference: what a
 * model file stores for a network (see src/recommend/model-file.ts).
 *
 * @example encodeModel({ model: 'sasrec', params, state, arrays: storeArrays(net.store) });
 */
export function storeArrays(store: ParamStore): Record<string, Float32Array> {
  return Object.fromEntries(store.names().map((name) => [name, store.get(name)]));
}

/**
 * Copies saved tensors into a freshly built network's store: every tensor of the store must be in
 * `arrays` as a Float32Array of the same length (otherwise an `AppError('invalid')` naming it, e.g. a
 * file of a model with other dimensions).
 *
 * @example restoreStore(net.store, decodeModel(bytes, 'sasrec').arrays);
 */
export function restoreStore(store: ParamStore, arrays: Readonly<Record<string, unknown>>): void {
  for (const name of store.names()) {
    const target = store.get(name);
    const saved = arrays[name];
    if (!(saved instanceof Float32Array)) throw AppError.invalid(`saved model has no float32 tensor ${name}`, { field: name });
    if (saved.length !== target.length) throw AppError.invalid(`saved tensor ${name} holds ${saved.length} values, the model expects ${target.length} [${store.shape(name)}]`, { field: name });
    target.set(saved);
  }
}
