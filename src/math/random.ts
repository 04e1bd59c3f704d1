import { AppError } from '../core/errors.js';

/**
 * Seeded pseudo-random numbers for everything in Shopwise that draws at random (simulators, model
 * initialisation, sampling, exploration), so every run is reproducible from its seed.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes
 * PractRand and BigCrush), seeded by hashing the seed text with cyrb128 (a murmur-style 128-bit hash).
 * `fork(label)` derives an independent stream from the seed and the label only, so adding draws to one
 * stream never changes another.
 *
 * @example
 * const rng = new SeededRandom(42);
 * rng.next();            // 0.5258…, the same on every machine
 * rng.int(6) + 1;        // a die
 * rng.fork('users').normal(0, 1);
 */
export class SeededRandom {
  /** The text every fork's seed is derived from. */
  readonly seedKey: string;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  constructor(seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) throw AppError.invalid(`a seed must be a finite number or a string, got ${seed}`, { field: 'seed' });
    this.seedKey = String(seed);
    [this.a, this.b, this.c, this.d] = cyrb128(this.seedKey);
    // Discard the first outputs: sfc32 mixes its counter-seeded state in about a dozen rounds.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** An independent stream named `label`; the same seed and label always give the same stream. */
  fork(label: string | number): SeededRandom {
    return new SeededRandom(`${this.seedKey}\u001f${label}`);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float uniform in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A float uniform in [0, 1) with 53 bits of randomness (two draws). */
  nextDouble(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** An integer uniform in [0, n) (unbiased: rejection of the uneven tail), n ≤ 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296) || !Number.isInteger(n)) throw AppError.invalid(`int(n) needs an integer n in [1, 2^32], got ${n}`, { field: 'n' });
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A float uniform in [a, b). */
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** A normal (Gaussian) draw (Marsaglia's polar method; the second value is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + sd * u * f;
  }

  /** exp(normal(mu, sigma)): the median is e^mu. */
  lognormal(mu = 0, sigma = 1): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Waiting time of a Poisson process with `rate` events per unit (mean 1 / rate). */
  exponential(rate = 1): number {
    if (!(rate > 0)) throw AppError.invalid(`exponential rate must be > 0, got ${rate}`, { field: 'rate' });
    return -Math.log(1 - this.next()) / rate;
  }

  /** A Poisson count with mean lambda (Knuth's product method below 10, Hörmann's PTRS above). */
  poisson(lambda: number): number {
    if (!(lambda >= 0) || !Number.isFinite(lambda)) throw AppError.invalid(`poisson lambda must be a finite number ≥ 0, got ${lambda}`, { field: 'lambda' });
    if (lambda === 0) return 0;
    if (lambda < 10) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return this.poissonPtrs(lambda);
  }

  /** Gamma(shape, scale) by Marsaglia and Tsang (shape < 1 through the u^(1/shape) boost). */
  gamma(shape: number, scale = 1): number {
    if (!(shape > 0) || !(scale > 0)) throw AppError.invalid(`gamma needs shape > 0 and scale > 0, got ${shape}, ${scale}`, { field: 'shape' });
    if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(1 - this.next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /** Beta(a, b) through two gamma draws. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }

  /**
   * A point of the simplex drawn from Dirichlet(alphas): small alphas give concentrated vectors
   * (a taste for a few categories), large ones give even vectors.
   */
  dirichlet(alphas: ArrayLike<number>): Float64Array {
    const out = new Float64Array(alphas.length);
    let sum = 0;
    for (let i = 0; i < alphas.length; i++) {
      out[i] = this.gamma(alphas[i]!);
      sum += out[i]!;
    }
    if (sum === 0 || !Number.isFinite(sum)) {
      // Every draw underflowed (alphas ≪ 1): the limit is all mass on one component.
      out.fill(0);
      out[this.int(alphas.length)] = 1;
      return out;
    }
    for (let i = 0; i < out.length; i++) out[i]! /= sum;
    return out;
  }

  /** A uniformly chosen element; throws on an empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw AppError.invalid('cannot pick from an empty array');
    return items[this.int(items.length)]!;
  }

  /** An index drawn with probability proportional to its weight (linear scan; see AliasTable for many draws). */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    if (!(total > 0) || !Number.isFinite(total)) throw AppError.invalid('categorical weights must be ≥ 0 with a positive finite sum', { field: 'weights' });
    let x = this.next() * total;
    let last = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (w <= 0) continue;
      last = i;
      if (x < w) return i;
      x -= w;
    }
    return last;
  }

  /** Shuffles `items` (an array or typed array) in place (Fisher–Yates) and returns it. */
  shuffle<A extends { length: number; [index: number]: unknown }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }

  /** `k` distinct elements in random order (all of them when k ≥ length); the input is not changed. */
  sampleWithoutReplacement<T>(items: readonly T[], k: number): T[] {
    const n = items.length;
    const take = Math.max(0, Math.min(k, n));
    if (take * 4 < n) {
      // Few of many: Floyd's algorithm needs only `take` draws and a set.
      const chosen = new Set<number>();
      for (let j = n - take; j < n; j++) {
        const t = this.int(j + 1);
        chosen.add(chosen.has(t) ? j : t);
      }
      return this.shuffle([...chosen].map((i) => items[i]!));
    }
    const copy = items.slice();
    for (let i = 0; i < take; i++) {
      const j = i + this.int(n - i);
      const t = copy[i]!;
      copy[i] = copy[j]!;
      copy[j] = t;
    }
    return copy.slice(0, take);
  }

  /** `k` distinct indices drawn in turn with probability proportional to weight (Efraimidis–Spirakis keys). */
  weightedSampleWithoutReplacement(weights: ArrayLike<number>, k: number): number[] {
    const keyed: { i: number; key: number }[] = [];
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (w > 0) keyed.push({ i, key: Math.log(1 - this.next()) / w });
    }
    keyed.sort((x, y) => y.key - x.key || x.i - y.i);
    return keyed.slice(0, Math.max(0, k)).map((e) => e.i);
  }

  /** PTRS: transformed rejection with squeeze (Hörmann 1993), O(1) expected time for lambda ≥ 10. */
  private poissonPtrs(lambda: number): number {
    const slam = Math.sqrt(lambda);
    const logLam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * logLam - logFactorial(k)) return k;
    }
  }
}

/**
 * Draws indices in O(1) each with probability proportional to fixed weights (Vose's alias method);
 * building it costs O(n). Use it when one distribution is sampled many times.
 *
 * @example
 * const table = new AliasTable([0.5, 0.3, 0.2]);
 * const index = table.sample(rng); // 0 half of the time
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw AppError.invalid(`alias weights must be finite and ≥ 0; weight ${i} is ${w}`, { field: 'weights', index: i });
      total += w;
    }
    if (!(total > 0)) throw AppError.invalid('alias weights need a positive sum', { field: 'weights' });
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1; // only rounding leftovers
  }

  /** One index drawn with the table's probabilities. */
  sample(rng: SeededRandom): number {
    const u = rng.next() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }
}

/** cyrb128: four 32-bit words of a murmur-style hash of `text`, used as the sfc32 state. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 | 0, h2 | 0, h3 | 0, h4 | 0];
}

const LOG_FACTORIAL_TABLE = (() => {
  const table = new Float64Array(256);
  for (let i = 2; i < 256; i++) table[i] = table[i - 1]! + Math.log(i);
  return table;
})();

/** ln(k!) from a table below 256, Stirling's series above. */
function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIAL_TABLE[k]!;
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}
