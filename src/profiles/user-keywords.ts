import { AppError } from '../core/errors.js';
import { DAY_MS, decayedAt, needsRescale, scaleAt } from './decay.js';

export interface UserKeywordBagOptions {
  /** Terms kept per user (default 16): the heaviest, by Space-Saving. */
  termsPerUser?: number;
  /** Half-life of a term's weight (default 30 days). */
  halfLifeMs?: number;
}

/**
 * Each user's bag of keywords with exponentially decaying weights, in fixed space per user: one slot
 * of `termsPerUser` entries in a shared arena (a term string and a Float32 weight per entry), so a
 * million users cost a few arrays rather than a million maps. When a bag is full, a new term takes
 * the lightest entry's place with that entry's weight added (the Space-Saving algorithm of Metwally et
 * al.): the heavy hitters of a user's stream are always kept, and a weight is over-estimated by at most
 * the lightest weight. Weights are stored scaled to a per-user reference time, as profiles do (decay.ts).
 *
 * @example
 * const bags = new UserKeywordBags();
 * bags.add('u1', ['earbuds', 'wireless'], 1, Date.now());
 * bags.bag('u1', Date.now()); // Map { 'earbuds' => 1, 'wireless' => 1 }
 */
export class UserKeywordBags {
  private readonly width: number;
  private readonly halfLife: number;
  private readonly slots = new Map<string, number>();
  private readonly free: number[] = [];
  private used = 0;
  private terms: (string | undefined)[] = [];
  private weights = new Float32Array(0);
  private refs = new Float64Array(0);

  constructor(options: UserKeywordBagOptions = {}) {
    this.width = options.termsPerUser ?? 16;
    this.halfLife = options.halfLifeMs ?? 30 * DAY_MS;
    if (!(Number.isInteger(this.width) && this.width >= 1)) throw AppError.invalid(`termsPerUser must be an integer ≥ 1, got ${this.width}`, { field: 'termsPerUser' });
    if (!(this.halfLife > 0)) throw AppError.invalid(`halfLifeMs must be > 0, got ${this.halfLife}`, { field: 'halfLifeMs' });
  }

  /** Users with a bag. */
  get size(): number {
    return this.slots.size;
  }

  /** Adds `weight` to each of `terms` (repeats add up) in the bag of `user` at time `at`. */
  add(user: string, terms: readonly string[], weight: number, at: number): void {
    if (terms.length === 0 || !(weight > 0)) return;
    const slot = this.slotOf(user, at);
    this.rescale(slot, at);
    const w = weight * scaleAt(at, this.refs[slot]!, this.halfLife);
    for (const t of terms) this.bump(slot, t, w);
  }

  /** Moves the bag of `from` into `to` (identify, alias) and deletes `from`'s. */
  merge(from: string, to: string): void {
    const source = this.slots.get(from);
    if (source === undefined || from === to) return;
    const ref = this.refs[source]!;
    const target = this.slotOf(to, ref);
    const later = Math.max(ref, this.refs[target]!);
    this.rescale(target, later, true);
    const factor = decayedAt(1, ref, this.refs[target]!, this.halfLife);
    const base = source * this.width;
    for (let i = 0; i < this.width; i++) {
      const t = this.terms[base + i];
      if (t !== undefined) this.bump(target, t, this.weights[base + i]! * factor);
    }
    this.delete(from);
  }

  /** The decayed weights of a user's terms at `at` (empty when the user has no bag). */
  bag(user: string, at: number): Map<string, number> {
    const out = new Map<string, number>();
    const slot = this.slots.get(user);
    if (slot === undefined) return out;
    const factor = decayedAt(1, this.refs[slot]!, at, this.halfLife);
    const base = slot * this.width;
    for (let i = 0; i < this.width; i++) {
      const t = this.terms[base + i];
      if (t !== undefined) out.set(t, this.weights[base + i]! * factor);
    }
    return out;
  }

  delete(user: string): void {
    const slot = this.slots.get(user);
    if (slot === undefined) return;
    this.slots.delete(user);
    this.terms.fill(undefined, slot * this.width, (slot + 1) * this.width);
    this.weights.fill(0, slot * this.width, (slot + 1) * this.width);
    this.free.push(slot);
  }

  private slotOf(user: string, at: number): number {
    let slot = this.slots.get(user);
    if (slot !== undefined) return slot;
    slot = this.free.pop() ?? this.used++;
    if (slot >= this.refs.length) {
      const capacity = Math.max(1024, this.refs.length * 2);
      const weights = new Float32Array(capacity * this.width);
      weights.set(this.weights);
      this.weights = weights;
      const refs = new Float64Array(capacity);
      refs.set(this.refs);
      this.refs = refs;
      this.terms.length = capacity * this.width;
    }
    this.refs[slot] = at;
    this.slots.set(user, slot);
    return slot;
  }

  /** Adds `w` (already scaled) to `term`, or gives it the lightest entry (Space-Saving). */
  private bump(slot: number, term: string, w: number): void {
    const base = slot * this.width;
    let lightest = base;
    for (let i = base; i < base + this.width; i++) {
      const t = this.terms[i];
      if (t === term) {
        this.weights[i]! += w;
        return;
      }
      if (t === undefined) {
        this.terms[i] = term;
        this.weights[i] = w;
        return;
      }
      if (this.weights[i]! < this.weights[lightest]!) lightest = i;
    }
    this.terms[lightest] = term;
    this.weights[lightest]! += w;
  }

  /** Moves the slot's reference to `at` when its scale factors would grow too large (or when `force`d). */
  private rescale(slot: number, at: number, force = false): void {
    const ref = this.refs[slot]!;
    if (!(force && at > ref) && !needsRescale(at, ref, this.halfLife)) return;
    const factor = decayedAt(1, ref, at, this.halfLife);
    for (let i = slot * this.width; i < (slot + 1) * this.width; i++) this.weights[i]! *= factor;
    this.refs[slot] = at;
  }
}
