import { F32_WIDTH, F64_WIDTH, SECTIONS, U16_WIDTH, U32, U32_WIDTH } from './profile-layout.js';
import { MAX_BLOCK, PairArena, SIZE_CLASSES, sizeClassFor } from './pair-arena.js';

/** The state of a table in plain arrays, for a snapshot. */
export interface TableExport {
  used: number;
  freeSlots: number[];
  f64: Float64Array;
  f32: Float32Array;
  u32: Uint32Array;
  u16: Uint16Array;
  secOff: Int32Array;
  secMeta: Int32Array;
  ids: (string | null)[];
  arena: ReturnType<PairArena['export']>;
}

const NONE = -1;
const LEN_MASK = 0xffff;

/**
 * All profiles of a processor as rows of typed-array columns (the fields of profile-layout.ts) and
 * sections of pairs in one PairArena. A profile is a slot number; freed slots are reused.
 *
 * Section helpers return absolute indexes into `arena.keys` / `arena.values` / `arena.bits`; an index is
 * valid until the next call that may allocate (append, grow).
 *
 * @example
 * const table = new ProfileTable();
 * const slot = table.allocSlot();
 * table.bump(slot, SECTION.counts, 3);
 */
export class ProfileTable {
  capacity: number;
  /** Slots ever handed out (the high-water mark). */
  used = 0;
  f64: Float64Array;
  f32: Float32Array;
  u32: Uint32Array;
  u16: Uint16Array;
  secOff: Int32Array;
  secMeta: Int32Array;
  ids: (string | undefined)[] = [];
  arena: PairArena;
  private freeSlots: number[] = [];

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.f64 = new Float64Array(capacity * F64_WIDTH);
    this.f32 = new Float32Array(capacity * F32_WIDTH);
    this.u32 = new Uint32Array(capacity * U32_WIDTH);
    this.u16 = new Uint16Array(capacity * U16_WIDTH);
    this.secOff = new Int32Array(capacity * SECTIONS).fill(NONE);
    this.secMeta = new Int32Array(capacity * SECTIONS);
    this.arena = new PairArena();
  }

  /** Live profiles. */
  get count(): number {
    return this.used - this.freeSlots.length;
  }

  allocSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.capacity) this.grow(this.capacity * 2);
    return this.used++;
  }

  /** Frees a profile's slot and its sections; the row reads as zeros again. */
  releaseSlot(slot: number): void {
    for (let s = 0; s < SECTIONS; s++) this.clear(slot, s);
    this.f64.fill(0, slot * F64_WIDTH, (slot + 1) * F64_WIDTH);
    this.f32.fill(0, slot * F32_WIDTH, (slot + 1) * F32_WIDTH);
    this.u32.fill(0, slot * U32_WIDTH, (slot + 1) * U32_WIDTH);
    this.u16.fill(0, slot * U16_WIDTH, (slot + 1) * U16_WIDTH);
    this.ids[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** Index of a Uint32 field of a slot (`U32.*` offset). */
  u(slot: number, field: number): number {
    return slot * U32_WIDTH + field;
  }

  /** Index of a Uint16 counter of a slot (`U16.*` offset). */
  c(slot: number, field: number): number {
    return slot * U16_WIDTH + field;
  }

  flags(slot: number): number {
    return this.u32[slot * U32_WIDTH + U32.flags]!;
  }

  length(slot: number, section: number): number {
    return this.secOff[slot * SECTIONS + section] === NONE ? 0 : this.secMeta[slot * SECTIONS + section]! & LEN_MASK;
  }

  /** Absolute index of the section's first pair (meaningless when its length is 0). */
  offset(slot: number, section: number): number {
    return this.secOff[slot * SECTIONS + section]!;
  }

  /** Absolute index of the pair with `key`, or -1. */
  find(slot: number, section: number, key: number): number {
    const h = slot * SECTIONS + section;
    const off = this.secOff[h]!;
    if (off === NONE) return -1;
    const end = off + (this.secMeta[h]! & LEN_MASK);
    const keys = this.arena.keys;
    for (let i = off; i < end; i++) if (keys[i] === key) return i;
    return -1;
  }

  /** Appends a pair (value 0) and returns its absolute index, growing the block when full. */
  append(slot: number, section: number, key: number): number {
    const h = slot * SECTIONS + section;
    let off = this.secOff[h]!;
    let meta = this.secMeta[h]!;
    if (off === NONE) {
      off = this.arena.alloc(0);
      meta = 0;
    } else {
      const cls = meta >>> 16;
      const len = meta & LEN_MASK;
      if (len === SIZE_CLASSES[cls]) {
        const next = this.arena.alloc(sizeClassFor(len + 1));
        const arena = this.arena;
        arena.keys.copyWithin(next, off, off + len);
        arena.bits.copyWithin(next, off, off + len);
        arena.release(off, cls);
        off = next;
        meta = (sizeClassFor(len + 1) << 16) | len;
      }
    }
    const len = meta & LEN_MASK;
    this.secOff[h] = off;
    this.secMeta[h] = (meta & ~LEN_MASK) | (len + 1);
    this.arena.keys[off + len] = key;
    this.arena.bits[off + len] = 0;
    return off + len;
  }

  /**
   * Adds `by` to the Uint32 value of `key`, appending it at 0 first unless the section already holds
   * `limit` keys; false when it was full (the caller decides where the count goes instead).
   */
  bump(slot: number, section: number, key: number, by = 1, limit = MAX_BLOCK): boolean {
    let i = this.find(slot, section, key);
    if (i < 0) {
      if (this.length(slot, section) >= limit) return false;
      i = this.append(slot, section, key);
    }
    const bits = this.arena.bits;
    bits[i] = bits[i]! + by;
    return true;
  }

  /** Removes the pair at absolute index `i`: the last pair takes its place, or with `ordered` the rest shift down. */
  removeAt(slot: number, section: number, i: number, ordered = false): void {
    const h = slot * SECTIONS + section;
    const off = this.secOff[h]!;
    const len = this.secMeta[h]! & LEN_MASK;
    const last = off + len - 1;
    const { keys, bits } = this.arena;
    if (ordered) {
      keys.copyWithin(i, i + 1, last + 1);
      bits.copyWithin(i, i + 1, last + 1);
    } else {
      keys[i] = keys[last]!;
      bits[i] = bits[last]!;
    }
    this.secMeta[h] = this.secMeta[h]! - 1;
  }

  /** Drops the first `n` pairs of an ordered section. */
  dropFront(slot: number, section: number, n: number): void {
    const h = slot * SECTIONS + section;
    const off = this.secOff[h]!;
    const len = this.secMeta[h]! & LEN_MASK;
    if (n <= 0 || off === NONE) return;
    const { keys, bits } = this.arena;
    keys.copyWithin(off, off + n, off + len);
    bits.copyWithin(off, off + n, off + len);
    this.secMeta[h] = this.secMeta[h]! - Math.min(n, len);
  }

  /** Empties a section and returns its block to the arena. */
  clear(slot: number, section: number): void {
    const h = slot * SECTIONS + section;
    const off = this.secOff[h]!;
    if (off === NONE) return;
    this.arena.release(off, this.secMeta[h]! >>> 16);
    this.secOff[h] = NONE;
    this.secMeta[h] = 0;
  }

  /** Copies the pairs of a section out (key and 32-bit value), for merges and reads. */
  pairs(slot: number, section: number): { keys: Int32Array; bits: Uint32Array } {
    const off = this.offset(slot, section);
    const len = this.length(slot, section);
    return { keys: this.arena.keys.slice(off, off + len), bits: this.arena.bits.slice(off, off + len) };
  }

  /** Replaces a section's pairs. */
  setPairs(slot: number, section: number, keys: ArrayLike<number>, bits: ArrayLike<number>): void {
    this.clear(slot, section);
    for (let i = 0; i < keys.length; i++) {
      const at = this.append(slot, section, keys[i]!);
      this.arena.bits[at] = bits[i]!;
    }
  }

  export(): TableExport {
    return {
      used: this.used, freeSlots: this.freeSlots.slice(),
      f64: this.f64.slice(0, this.used * F64_WIDTH), f32: this.f32.slice(0, this.used * F32_WIDTH), u32: this.u32.slice(0, this.used * U32_WIDTH), u16: this.u16.slice(0, this.used * U16_WIDTH),
      secOff: this.secOff.slice(0, this.used * SECTIONS), secMeta: this.secMeta.slice(0, this.used * SECTIONS),
      ids: Array.from({ length: this.used }, (_, s) => this.ids[s] ?? null),
      arena: this.arena.export(),
    };
  }

  static restore(state: TableExport): ProfileTable {
    const table = new ProfileTable(Math.max(1024, Math.ceil(state.used * 1.25)));
    table.used = state.used;
    table.freeSlots = state.freeSlots.slice();
    table.f64.set(state.f64);
    table.f32.set(state.f32);
    table.u32.set(state.u32);
    table.u16.set(state.u16);
    table.secOff.set(state.secOff);
    table.secMeta.set(state.secMeta);
    state.ids.forEach((id, s) => (table.ids[s] = id ?? undefined));
    table.arena = PairArena.restore(state.arena);
    return table;
  }

  /** Bytes held by the columns and the arena (typed arrays only), for memory figures. */
  typedBytes(): number {
    return this.f64.byteLength + this.f32.byteLength + this.u32.byteLength + this.u16.byteLength + this.secOff.byteLength + this.secMeta.byteLength +
      this.arena.keys.byteLength + this.arena.values.byteLength;
  }

  private grow(capacity: number): void {
    const f64 = new Float64Array(capacity * F64_WIDTH);
    f64.set(this.f64);
    const f32 = new Float32Array(capacity * F32_WIDTH);
    f32.set(this.f32);
    const u32 = new Uint32Array(capacity * U32_WIDTH);
    u32.set(this.u32);
    const u16 = new Uint16Array(capacity * U16_WIDTH);
    u16.set(this.u16);
    const secOff = new Int32Array(capacity * SECTIONS).fill(NONE);
    secOff.set(this.secOff);
    const secMeta = new Int32Array(capacity * SECTIONS);
    secMeta.set(this.secMeta);
    Object.assign(this, { f64, f32, u32, u16, secOff, secMeta, capacity });
  }
}
