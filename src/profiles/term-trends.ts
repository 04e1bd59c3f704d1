import { AppError } from '../core/errors.js';
import { decayedAt, needsRescale, scaleAt } from './decay.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export interface TermTrendOptions {
  /** Width of a time bucket (default 5 min). */
  bucketMs?: number;
  /** How far back buckets are kept (default 24 h); older counts join the background. */
  horizonMs?: number;
  /** Half-life of the background counts beyond the horizon (default 7 days). */
  backgroundHalfLifeMs?: number;
  /** Distinct terms tracked (default 300 000); past it, terms absent from the horizon and faded from the background are forgotten. */
  maxTerms?: number;
}

export interface TrendQuery {
  /** The recent window compared with the background (default 1 h, at most the horizon). */
  windowMs?: number;
  /** Occurrences a term needs in the window (default 10). */
  minCount?: number;
  /** Recent count over (expected + 1) a term needs (default 4). */
  minRatio?: number;
  /** Tokens the background needs before anything can trend (default 1 000): a new shop has no baseline yet. */
  minBackgroundTokens?: number;
  limit?: number;
  /** The time the window ends (default: the latest event time seen). */
  at?: number;
}

/** A term whose recent rate is well above its background rate. */
export interface TrendingTerm {
  term: string;
  /** Occurrences in the window. */
  count: number;
  /** Occurrences the background rate predicts for the window's traffic. */
  expected: number;
  /** count / (expected + 1): for a term never seen before, its count. */
  ratio: number;
  /** When the term was first counted (since tracking began, or since it was forgotten). */
  firstSeen: number;
}

/**
 * Term counts over time for one workspace, for spotting trends: a ring of buckets over the last
 * `horizonMs` (5-minute buckets over 24 h by default), and beyond it an exponentially decayed
 * background per term (decay.ts), so memory stays bounded whatever the stream's length.
 *
 * A term trends when its count in the recent window is well above what its background share of
 * traffic predicts: expected = windowTokens · backgroundCount / backgroundTokens, and
 * ratio = count / (expected + 1). Comparing shares rather than raw rates means a busy evening does
 * not make every word trend. A term never seen before has expected = 0, so it trends as soon as it
 * reaches `minCount` occurrences in the window (given a background of `minBackgroundTokens`).
 *
 * Time is event time: buckets follow the latest event seen (simulated or replayed streams work
 * as live ones); an event older than the horizon goes straight to the background.
 *
 * @example
 * const trends = new TermTrends();
 * trends.add(['zorbapods', 'earbuds'], Date.now());
 * trends.trending({ limit: 10 }); // [{ term, count, expected, ratio, firstSeen }]
 */
export class TermTrends {
  private readonly bucketMs: number;
  private readonly slots: number;
  private readonly halfLife: number;
  private readonly maxTerms: number;
  private readonly ids = new Map<string, number>();
  private names: string[] = [];
  private free: number[] = [];
  private inHorizon = new Float64Array(1024);
  private background = new Float64Array(1024);
  private firstSeen = new Float64Array(1024);
  /** Per slot: the bucket number it holds (−1 empty), its term counts and its token total. */
  private readonly bucketOf: Float64Array;
  private readonly bucketCounts: Map<number, number>[];
  private readonly bucketTokens: Float64Array;
  private horizonTokens = 0;
  private backgroundTokens = 0;
  private ref = 0;
  private latestBucket = -Infinity;
  private latest = -Infinity;

  constructor(options: TermTrendOptions = {}) {
    this.bucketMs = options.bucketMs ?? 5 * MINUTE_MS;
    const horizon = options.horizonMs ?? 24 * HOUR_MS;
    this.halfLife = options.backgroundHalfLifeMs ?? 7 * 24 * HOUR_MS;
    this.maxTerms = options.maxTerms ?? 300_000;
    if (!(this.bucketMs >= 1000)) throw AppError.invalid(`bucketMs must be ≥ 1000, got ${this.bucketMs}`, { field: 'bucketMs' });
    if (!(horizon >= this.bucketMs)) throw AppError.invalid(`horizonMs (${horizon}) must be ≥ bucketMs (${this.bucketMs})`, { field: 'horizonMs' });
    if (!(this.halfLife > 0)) throw AppError.invalid(`backgroundHalfLifeMs must be > 0, got ${this.halfLife}`, { field: 'backgroundHalfLifeMs' });
    this.slots = Math.ceil(horizon / this.bucketMs);
    this.bucketOf = new Float64Array(this.slots).fill(-1);
    this.bucketCounts = Array.from({ length: this.slots }, () => new Map());
    this.bucketTokens = new Float64Array(this.slots);
  }

  /** The latest event time seen (−Infinity before any). */
  get watermark(): number {
    return this.latest;
  }

  /** Terms tracked. */
  get size(): number {
    return this.ids.size;
  }

  /** Counts the terms of one text at event time `at`. */
  add(terms: readonly string[], at: number): void {
    if (terms.length === 0 || !Number.isFinite(at)) return;
    const bucket = Math.floor(at / this.bucketMs);
    if (bucket > this.latestBucket) this.advance(bucket);
    if (at > this.latest) this.latest = at;
    if (bucket <= this.latestBucket - this.slots) {
      // Older than the horizon (a late event): straight into the background.
      this.rescaleFor(at);
      const scale = scaleAt(at, this.ref, this.halfLife);
      for (const t of terms) this.background[this.termId(t, at)]! += scale;
      this.backgroundTokens += scale * terms.length;
      return;
    }
    const slot = bucket % this.slots;
    this.bucketOf[slot] = bucket;
    const counts = this.bucketCounts[slot]!;
    for (const t of terms) {
      const id = this.termId(t, at);
      counts.set(id, (counts.get(id) ?? 0) + 1);
      this.inHorizon[id]!++;
    }
    this.bucketTokens[slot]! += terms.length;
    this.horizonTokens += terms.length;
  }

  /** How often `term` occurred within the horizon. */
  recentCount(term: string): number {
    const id = this.ids.get(term);
    return id === undefined ? 0 : this.inHorizon[id]!;
  }

  /** The terms trending in the window ending at `at`, by excess occurrences (count − expected), most first. */
  trending(query: TrendQuery = {}): TrendingTerm[] {
    const at = query.at ?? this.latest;
    if (!Number.isFinite(at)) return [];
    const windowMs = Math.min(query.windowMs ?? HOUR_MS, this.slots * this.bucketMs);
    const minCount = query.minCount ?? 10;
    const minRatio = query.minRatio ?? 4;
    const last = Math.floor(at / this.bucketMs);
    const first = last - Math.max(1, Math.ceil(windowMs / this.bucketMs)) + 1;
    const recent = new Map<number, number>();
    let windowTokens = 0;
    for (let s = 0; s < this.slots; s++) {
      const b = this.bucketOf[s]!;
      if (b < first || b > last) continue;
      windowTokens += this.bucketTokens[s]!;
      for (const [id, n] of this.bucketCounts[s]!) recent.set(id, (recent.get(id) ?? 0) + n);
    }
    const decay = decayedAt(1, this.ref, Math.max(at, this.ref), this.halfLife);
    const backgroundTokens = this.horizonTokens - windowTokens + this.backgroundTokens * decay;
    if (windowTokens === 0 || backgroundTokens < (query.minBackgroundTokens ?? 1000)) return [];
    const out: TrendingTerm[] = [];
    for (const [id, count] of recent) {
      if (count < minCount) continue;
      const backgroundCount = this.inHorizon[id]! - count + this.background[id]! * decay;
      const expected = (windowTokens * Math.max(0, backgroundCount)) / backgroundTokens;
      const ratio = count / (expected + 1);
      if (ratio >= minRatio) out.push({ term: this.names[id]!, count, expected, ratio, firstSeen: this.firstSeen[id]! });
    }
    out.sort((a, b) => b.count - b.expected - (a.count - a.expected) || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    return out.slice(0, query.limit ?? 20);
  }

  private termId(term: string, at: number): number {
    let id = this.ids.get(term);
    if (id !== undefined) return id;
    if (this.ids.size >= this.maxTerms) this.forget();
    id = this.free.pop() ?? this.names.length;
    if (id >= this.inHorizon.length) {
      const capacity = this.inHorizon.length * 2;
      this.inHorizon = grow(this.inHorizon, capacity);
      this.background = grow(this.background, capacity);
      this.firstSeen = grow(this.firstSeen, capacity);
    }
    this.names[id] = term;
    this.ids.set(term, id);
    this.inHorizon[id] = 0;
    this.background[id] = 0;
    this.firstSeen[id] = at;
    return id;
  }

  /** Moves the ring forward to `bucket`, folding the buckets that leave the horizon into the background. */
  private advance(bucket: number): void {
    const start = Number.isFinite(this.latestBucket) ? Math.max(this.latestBucket + 1, bucket - this.slots + 1) : bucket;
    for (let b = start; b <= bucket; b++) {
      const slot = b % this.slots;
      if (this.bucketOf[slot]! >= 0 && this.bucketOf[slot] !== b) this.expire(slot);
    }
    this.latestBucket = bucket;
  }

  private expire(slot: number): void {
    const b = this.bucketOf[slot]!;
    if (b < 0) return;
    const at = (b + 1) * this.bucketMs;
    this.rescaleFor(at);
    const scale = scaleAt(at, this.ref, this.halfLife);
    for (const [id, n] of this.bucketCounts[slot]!) {
      this.inHorizon[id]! -= n;
      this.background[id]! += n * scale;
    }
    this.backgroundTokens += this.bucketTokens[slot]! * scale;
    this.horizonTokens -= this.bucketTokens[slot]!;
    this.bucketCounts[slot]!.clear();
    this.bucketTokens[slot] = 0;
    this.bucketOf[slot] = -1;
  }

  /** Moves the background's reference time forward when the scale factors would grow too large. */
  private rescaleFor(at: number): void {
    if (this.ref === 0) this.ref = at;
    if (!needsRescale(at, this.ref, this.halfLife)) return;
    const factor = decayedAt(1, this.ref, at, this.halfLife);
    for (let i = 0; i < this.names.length; i++) this.background[i]! *= factor;
    this.backgroundTokens *= factor;
    this.ref = at;
  }

  /** Forgets terms absent from the horizon whose background faded below one occurrence (at least a tenth of the table). */
  private forget(): void {
    const decay = decayedAt(1, this.ref, Math.max(this.latest, this.ref), this.halfLife);
    const candidates: number[] = [];
    for (const id of this.ids.values()) if (this.inHorizon[id] === 0) candidates.push(id);
    candidates.sort((a, b) => this.background[a]! - this.background[b]!);
    const drop = Math.max(Math.ceil(this.maxTerms / 10), candidates.filter((id) => this.background[id]! * decay < 1).length);
    for (const id of candidates.slice(0, drop)) {
      this.ids.delete(this.names[id]!);
      this.free.push(id);
    }
    if (this.ids.size >= this.maxTerms) throw AppError.invalid(`TermTrends: ${this.maxTerms} terms occur within the horizon; raise maxTerms or shorten horizonMs`, { field: 'maxTerms' });
  }
}

function grow(a: Float64Array, length: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(length);
  b.set(a);
  return b;
}
