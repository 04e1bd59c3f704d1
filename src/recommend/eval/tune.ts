import { SeededRandom } from '../../math/random.js';
import type { WorkerPool } from '../../math/worker-pool.js';
import type { Interactions } from '../interactions.js';
import type { ParamDef } from '../params.js';
import { createModel, modelEntry } from '../registry.js';
import { TrainingData } from '../training-data.js';
import type { Protocol } from './protocols.js';
import { evaluateFold } from './evaluate.js';
import { kFoldRatings } from './splits.js';

/** `random`: independent draws from the tune ranges; `tpe`: Tree-structured Parzen Estimator style. */
export type TuneMethod = 'random' | 'tpe';

export interface TuneRequest {
  model: string;
  /** Params the user fixed: never searched. */
  base: Record<string, unknown>;
  protocol: Protocol;
  /** The training part of the evaluation: the search carves its own validation split out of it. */
  train: Interactions;
  k: number;
  seed: number | string;
  seconds: number;
  method: TuneMethod;
  pool?: WorkerPool;
  onTrial?: (message: string) => void;
}

export interface TuneResult {
  params: Record<string, unknown>;
  method: TuneMethod;
  trials: number;
  seconds: number;
  metric: string;
  best: number;
}

/** How many random trials TPE runs before it models good and bad regions. */
const STARTUP_TRIALS = 5;
/** Share of trials TPE counts as good. */
const GAMMA = 0.25;
const CANDIDATES = 24;

type Space = [string, ParamDef][];

/**
 * Searches a model's hyper-parameters within a time budget: the defaults are trial 1, then draws from
 * each parameter's `tune` range (log-uniform where `log`), either independently (`random`) or, after
 * a few random trials, by TPE — candidates drawn around the best quarter of trials and chosen by the
 * ratio of the good to the bad density (Bergstra et al. 2011). Each trial fits on a validation split
 * of `train` (80/20 ratings, or the protocol's own split) and scores the protocol's primary metric.
 *
 * @example const { params } = await tuneParams({ model: 'svd', base: {}, protocol, train, k: 10, seed: 1, seconds: 60, method: 'tpe' });
 */
export async function tuneParams(request: TuneRequest): Promise<TuneResult> {
  const started = performance.now();
  const spec = modelEntry(request.model).spec;
  const space: Space = Object.entries(spec).filter(([name, def]) => !(name in request.base) && tunable(def));
  const { protocol, k, seed } = request;
  const fold = protocol.primary.lowerIsBetter ? kFoldRatings(request.train, 5, `${seed}/tune`)[0]! : protocol.folds(request.train, `${seed}/tune`)[0]!;
  const train = new TrainingData(fold.train);
  const metric = protocol.primary.metric(k);
  const sign = protocol.primary.lowerIsBetter ? -1 : 1;
  const rng = new SeededRandom(seed).fork(`tune/${request.model}`);
  const trials: { values: Record<string, unknown>; score: number }[] = [];
  const elapsed = () => (performance.now() - started) / 1000;
  while (trials.length === 0 || (elapsed() < request.seconds && space.length > 0)) {
    const values = trials.length === 0 ? {} : request.method === 'tpe' && trials.length >= STARTUP_TRIALS ? proposeTpe(space, trials, rng) : proposeRandom(space, rng);
    const model = createModel(request.model, { ...request.base, ...values });
    await model.fit(train, { rng: new SeededRandom(seed).fork(`${request.model}/tune/${trials.length}`), pool: request.pool });
    const value = (await evaluateFold(model, fold, train, protocol, k, seed))[metric] ?? NaN;
    trials.push({ values, score: Number.isFinite(value) ? sign * value : -Infinity });
    request.onTrial?.(`${request.model}: trial ${trials.length} ${metric} ${value.toFixed(4)} ${JSON.stringify(values)}`);
  }
  const best = trials.reduce((a, b) => (b.score > a.score ? b : a));
  return { params: { ...request.base, ...best.values }, method: request.method, trials: trials.length, seconds: elapsed(), metric, best: sign * best.score };
}

function tunable(def: ParamDef): boolean {
  if (def.type === 'int' || def.type === 'float') return def.tune !== undefined;
  return def.tune === true;
}

/** A draw in the search space: unit u ∈ [0,1) maps onto the tune range (log-uniformly for scales). */
function fromUnit(def: ParamDef, u: number): unknown {
  switch (def.type) {
    case 'int':
    case 'float': {
      const [lo, hi] = def.tune!;
      const x = def.log && lo > 0 ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
      return def.type === 'int' ? Math.min(hi, Math.max(lo, Math.round(x))) : Number(x.toPrecision(4));
    }
    case 'enum':
      return def.values[Math.min(def.values.length - 1, Math.floor(u * def.values.length))];
    case 'bool':
      return u >= 0.5;
  }
}

/** The unit-space position of a value (inverse of fromUnit for numbers). */
function toUnit(def: ParamDef, value: unknown): number {
  if (def.type === 'int' || def.type === 'float') {
    const [lo, hi] = def.tune!;
    const x = Number(value);
    const u = def.log && lo > 0 ? (Math.log(x) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (x - lo) / (hi - lo);
    return Math.min(1, Math.max(0, u));
  }
  return 0;
}

function proposeRandom(space: Space, rng: SeededRandom): Record<string, unknown> {
  return Object.fromEntries(space.map(([name, def]) => [name, fromUnit(def, rng.next())]));
}

function proposeTpe(space: Space, trials: { values: Record<string, unknown>; score: number }[], rng: SeededRandom): Record<string, unknown> {
  const sorted = trials.filter((t) => Object.keys(t.values).length > 0).sort((a, b) => b.score - a.score);
  if (sorted.length < 2) return proposeRandom(space, rng);
  const cut = Math.max(1, Math.ceil(sorted.length * GAMMA));
  const good = sorted.slice(0, cut);
  const bad = sorted.slice(cut);
  let bestCandidate: Record<string, unknown> = {};
  let bestRatio = -Infinity;
  for (let c = 0; c < CANDIDATES; c++) {
    const candidate: Record<string, unknown> = {};
    let logRatio = 0;
    for (const [name, def] of space) {
      if (def.type === 'int' || def.type === 'float') {
        const goodUnits = good.map((t) => toUnit(def, t.values[name]));
        const badUnits = bad.map((t) => toUnit(def, t.values[name]));
        const width = 0.5 / Math.pow(goodUnits.length + 1, 0.2);
        const centre = goodUnits[rng.int(goodUnits.length)]!;
        const u = Math.min(0.999999, Math.max(0, centre + rng.normal(0, width) * 0.5));
        candidate[name] = fromUnit(def, u);
        logRatio += Math.log(density(goodUnits, u, width) + 1e-9) - Math.log(density(badUnits, u, width) + 1e-9);
      } else {
        const options = def.type === 'enum' ? [...def.values] : [true, false];
        const weight = (group: typeof good, v: unknown) => (group.filter((t) => t.values[name] === v).length + 1) / (group.length + options.length);
        const pick = options[rng.int(options.length)];
        candidate[name] = pick;
        logRatio += Math.log(weight(good, pick)) - Math.log(weight(bad, pick));
      }
    }
    if (logRatio > bestRatio) {
      bestRatio = logRatio;
      bestCandidate = candidate;
    }
  }
  return bestCandidate;
}

/** A Parzen density of the points (Gaussian kernels of `width`) plus a uniform prior share, at u. */
function density(points: number[], u: number, width: number): number {
  let sum = 1; // the prior: one uniform kernel over [0, 1]
  for (const p of points) sum += Math.exp(-0.5 * ((u - p) / width) ** 2) / (width * Math.sqrt(2 * Math.PI));
  return sum / (points.length + 1);
}
