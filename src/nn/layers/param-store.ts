import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { sizeOf, type Shape } from '../shape.js';
import type { Initializer } from './init.js';
import { decodeParams, encodeParams } from './param-file.js';

interface Entry {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * The trainable tensors of a model by name: the data every graph built over the model binds its params
 * to (a training graph and an inference graph share one store), plus tensors that live outside the graph
 * such as embedding tables. Data arrays are stable: `load` and `restore` copy into them, so references
 * held elsewhere (an `EmbeddingTable`, optimizer state keyed by name) stay valid.
 *
 * @example
 * const store = new ParamStore();
 * const w = store.ensure('out/w', [128, 20], xavierUniform(), rng);
 * const bytes = store.save({ model: 'text-cnn' });
 * const copy = ParamStore.fromBytes(bytes).store;
 */
export class ParamStore {
  private readonly entries = new Map<string, Entry>();

  /** Creates `name` with `init` (drawn from a stream forked by name, so build order does not matter), or checks the shape of the existing one. */
  ensure(name: string, shape: Shape, init: Initializer, rng: SeededRandom): Float32Array {
    const existing = this.entries.get(name);
    if (existing) {
      if (!sameShape(existing.shape, shape)) throw AppError.invalid(`param ${name} exists with shape [${existing.shape}], asked for [${shape}]`, { field: name });
      return existing.data;
    }
    const data = init(shape, rng.fork(name));
    if (data.length !== sizeOf(shape)) throw AppError.invalid(`initialiser of ${name} gave ${data.length} values for shape [${shape}]`, { field: name });
    this.entries.set(name, { shape: [...shape], data });
    return data;
  }

  /** Adds or replaces a tensor with the given data (kept by reference). */
  set(name: string, shape: Shape, data: Float32Array): void {
    if (data.length !== sizeOf(shape)) throw AppError.invalid(`${name}: ${data.length} values do not fill shape [${shape}]`, { field: name });
    this.entries.set(name, { shape: [...shape], data });
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): Float32Array {
    return this.entry(name).data;
  }

  shape(name: string): readonly number[] {
    return this.entry(name).shape;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Name → data for `names` (all when omitted): what an executor's `params` argument takes. */
  tensors(names?: Iterable<string>): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const name of names ?? this.entries.keys()) out.set(name, this.get(name));
    return out;
  }

  /** Number of float32 values held. */
  size(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.data.length;
    return n;
  }

  /** A deep copy of every tensor's data (for early stopping's best weights). */
  snapshot(): Map<string, Float32Array> {
    return new Map([...this.entries].map(([name, e]) => [name, e.data.slice()]));
  }

  /** Copies a snapshot back into the existing arrays. */
  restore(snapshot: Map<string, Float32Array>): void {
    for (const [name, data] of snapshot) {
      const target = this.get(name);
      if (target.length !== data.length) throw AppError.invalid(`snapshot of ${name} has ${data.length} values, the param ${target.length}`, { field: name });
      target.set(data);
    }
  }

  /** The versioned binary file (see param-file.ts), with optional JSON metadata (e.g. the model config). */
  save(meta: Record<string, unknown> = {}): Uint8Array {
    return encodeParams([...this.entries].map(([name, e]) => ({ name, shape: e.shape, data: e.data })), meta);
  }

  /**
   * Loads a file into this store: the file must hold exactly this store's names with the same shapes
   * (AppError `invalid` otherwise, naming the tensor); data is copied into the existing arrays.
   * Returns the file's metadata.
   */
  load(bytes: Uint8Array): Record<string, unknown> {
    const file = decodeParams(bytes);
    const inFile = new Set(file.tensors.map((t) => t.name));
    for (const name of this.entries.keys()) {
      if (!inFile.has(name)) throw AppError.invalid(`param file has no tensor ${name}`, { field: name });
    }
    for (const t of file.tensors) {
      const e = this.entries.get(t.name);
      if (!e) throw AppError.invalid(`param file holds ${t.name}, which this model does not have`, { field: t.name });
      if (!sameShape(e.shape, t.shape)) throw AppError.invalid(`param ${t.name} has shape [${t.shape}] in the file, the model expects [${e.shape}]`, { field: t.name });
    }
    for (const t of file.tensors) this.entries.get(t.name)!.data.set(t.data);
    return file.meta;
  }

  /** A new store holding a file's tensors, and its metadata. */
  static fromBytes(bytes: Uint8Array): { store: ParamStore; meta: Record<string, unknown> } {
    const file = decodeParams(bytes);
    const store = new ParamStore();
    for (const t of file.tensors) store.set(t.name, t.shape, t.data);
    return { store, meta: file.meta };
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw AppError.notFound(`no param named ${name}`, { field: name });
    return e;
  }
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
