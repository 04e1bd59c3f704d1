import { AppError } from '../core/errors.js';

/**
 * One shared store for the variable-length parts of every profile (interests, recent items, counts by
 * event name, devices, cart): blocks of (Int32 key, 32-bit value) pairs carved out of two big typed
 * arrays. A small typed array per profile would cost ~300 bytes of V8 bookkeeping each; a block here
 * costs nothing beyond its 8 bytes a pair. The value is readable as Float32 (`values`) or Uint32 (`bits`,
 * for counts and times); both views share one buffer.
 *
 * Blocks come in size classes growing by about a fifth (so little is slack) and freed blocks are reused
 * per class. The arrays grow by doubling: never keep a reference to `keys` / `values` / `bits` across a call
 * that may allocate.
 */

/** Pairs per block of each size class: steps of about a fifth, so slack averages ~10%. */
export const SIZE_CLASSES = [
  2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
  1280, 1536, 1792, 2048,
] as const;
export const MAX_BLOCK = SIZE_CLASSES[SIZE_CLASSES.length - 1]!;

/**
 * The smallest size class holding `n` pairs.
 *
 * @example SIZE_CLASSES[sizeClassFor(7)] // 8
 */
export function sizeClassFor(n: number): number {
  for (let c = 0; c < SIZE_CLASSES.length; c++) if (SIZE_CLASSES[c]! >= n) return c;
  throw AppError.invalid(`a profile section of ${n} entries exceeds the largest block (${MAX_BLOCK}); the section limits keep them below it`);
}

/**
 * @example
 * const arena = new PairArena();
 * const at = arena.alloc(sizeClassFor(4)); arena.keys[at] = 7; arena.bits[at] = 1;
 */
export class PairArena {
  keys: Int32Array;
  values: Float32Array;
  bits: Uint32Array;
  /** First never-used pair. */
  top = 0;
  private free: number[][];

  constructor(capacity = 4096) {
    this.keys = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
    this.bits = new Uint32Array(this.values.buffer);
    this.free = SIZE_CLASSES.map(() => []);
  }

  /** Offset of a fresh block of size class `cls` (its pairs are zero). */
  alloc(cls: number): number {
    const size = SIZE_CLASSES[cls]!;
    const reused = this.free[cls]!.pop();
    if (reused !== undefined) {
      this.keys.fill(0, reused, reused + size);
      this.bits.fill(0, reused, reused + size);
      return reused;
    }
    this.reserve(this.top + size);
    const at = this.top;
    this.top += size;
    return at;
  }

  release(offset: number, cls: number): void {
    this.free[cls]!.push(offset);
  }

  /** Pairs in use (allocated minus freed), for memory figures. */
  usedPairs(): number {
    let freed = 0;
    this.free.forEach((list, cls) => (freed += list.length * SIZE_CLASSES[cls]!));
    return this.top - freed;
  }

  /** The arena's state, for a snapshot: the pairs up to `top` and the free lists. */
  export(): { keys: Int32Array; bits: Uint32Array; free: number[][] } {
    return { keys: this.keys.slice(0, this.top), bits: this.bits.slice(0, this.top), free: this.free.map((l) => l.slice()) };
  }

  /** Rebuilds an arena from `export()`. */
  static restore(state: { keys: Int32Array; bits: Uint32Array; free: number[][] }): PairArena {
    const arena = new PairArena(Math.max(4096, Math.ceil(state.keys.length * 1.25)));
    arena.keys.set(state.keys);
    arena.bits.set(state.bits);
    arena.top = state.keys.length;
    if (state.free.length !== SIZE_CLASSES.length) throw AppError.invalid(`the snapshot's arena has ${state.free.length} size classes, this build ${SIZE_CLASSES.length}`);
    arena.free = state.free.map((l) => l.slice());
    return arena;
  }

  private reserve(n: number): void {
    if (n <= this.keys.length) return;
    let capacity = this.keys.length * 2;
    while (capacity < n) capacity *= 2;
    const keys = new Int32Array(capacity);
    keys.set(this.keys.subarray(0, this.top));
    const values = new Float32Array(capacity);
    values.set(this.values.subarray(0, this.top));
    this.keys = keys;
    this.values = values;
    this.bits = new Uint32Array(values.buffer);
  }
}
