import { isAppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import type { WorkerPool } from '../../math/worker-pool.js';
import type { Interactions } from '../interactions.js';
import { createModel } from '../registry.js';
import { TrainingData } from '../training-data.js';
import { evaluateFold, type Metrics } from './evaluate.js';
import { protocolNamed, type Protocol } from './protocols.js';
import { tuneParams, type TuneMethod } from './tune.js';

export interface ModelRequest {
  name: string;
  params?: Record<string, unknown>;
}

export interface EvalRequest {
  data: Interactions;
  /** Shown as `dataset` (e.g. the file name). */
  dataset: string;
  protocol: string;
  models: ModelRequest[];
  k?: number;
  seed?: number | string;
  /** Seconds of hyper-parameter search shared by the models (0: none). */
  tuneSeconds?: number;
  tuneMethod?: TuneMethod;
  pool?: WorkerPool;
  /** A line of progress (what is being fitted or evaluated). */
  onProgress?: (message: string) => void;
}

/** One model's row of the result: as in the `--json` document. */
export interface ModelResult {
  model: string;
  params: Record<string, unknown>;
  /** Mean fit seconds per fold. */
  fit_seconds: number;
  /** Means over folds. */
  metrics: Metrics;
  /** Per-fold metrics when there are several folds. */
  folds?: Metrics[];
  /** Set when the model does not apply to the protocol (and was not run). */
  skipped?: string;
  /** The search that chose `params`, when tuned. */
  tuning?: { method: TuneMethod; trials: number; seconds: number; metric: string; best: number };
}

export interface EvalResult {
  protocol: string;
  dataset: string;
  k: number;
  seed: number | string;
  data: { users: number; items: number; interactions: number; explicit: boolean };
  results: ModelResult[];
}

/**
 * Runs a protocol for a list of models on one data set: splits once (same folds for every model), fits
 * each applicable model on each fold with a seeded generator and evaluates it; models the protocol does
 * not apply to are listed with the reason. With `tuneSeconds`, each model's params are first searched
 * on a validation split carved out of the first fold's training data (the test folds stay unseen).
 *
 * @example const result = await runEvaluation({ data, dataset: 'u.data', protocol: 'surprise-5fold', models: [{ name: 'svd' }] });
 */
export async function runEvaluation(request: EvalRequest): Promise<EvalResult> {
  const protocol = protocolNamed(request.protocol);
  const k = request.k ?? 10;
  const seed = request.seed ?? 42;
  const say = request.onProgress ?? (() => undefined);
  // Make every model first: bad names and bad params fail before any work is done.
  const models = request.models.map((m) => ({ ...m, instance: createModel(m.name, m.params ?? {}) }));
  const folds = protocol.folds(request.data, seed);
  const trains = folds.map((f) => new TrainingData(f.train));
  const results: ModelResult[] = [];
  const tuneShare = (request.tuneSeconds ?? 0) / Math.max(1, models.filter((m) => protocol.applies(m.instance.capabilities)).length);
  for (const m of models) {
    if (!protocol.applies(m.instance.capabilities)) {
      results.push({ model: m.name, params: { ...m.instance.params }, fit_seconds: 0, metrics: {}, skipped: skipReason(protocol) });
      continue;
    }
    let params = m.params ?? {};
    let tuning: ModelResult['tuning'];
    if (tuneShare > 0) {
      say(`${m.name}: tuning for ${tuneShare.toFixed(0)} s (${request.tuneMethod ?? 'tpe'})`);
      const tuned = await tuneParams({ model: m.name, base: params, protocol, train: folds[0]!.train, k, seed, seconds: tuneShare, method: request.tuneMethod ?? 'tpe', pool: request.pool, onTrial: say });
      params = tuned.params;
      tuning = { method: tuned.method, trials: tuned.trials, seconds: tuned.seconds, metric: tuned.metric, best: tuned.best };
    }
    const perFold: Metrics[] = [];
    let fitSeconds = 0;
    let resolved: Record<string, unknown> = {};
    let failed: string | undefined;
    for (let f = 0; f < folds.length; f++) {
      const model = createModel(m.name, params);
      resolved = { ...model.params };
      say(`${m.name}: fitting fold ${f + 1}/${folds.length}`);
      let report;
      try {
        report = await model.fit(trains[f]!, { rng: new SeededRandom(seed).fork(`${m.name}/${f}`), pool: request.pool });
      } catch (error) {
        // A model that refuses this data (e.g. explicit ALS on implicit events) is reported, not fatal.
        if (!isAppError(error) || error.kind !== 'invalid') throw error;
        say(`${m.name}: not run: ${error.message}`);
        failed = error.message;
        break;
      }
      fitSeconds += report.seconds;
      say(`${m.name}: fold ${f + 1}/${folds.length} fitted in ${report.seconds.toFixed(2)} s; evaluating`);
      perFold.push(await evaluateFold(model, folds[f]!, trains[f]!, protocol, k, seed));
    }
    if (failed !== undefined) {
      results.push({ model: m.name, params: resolved, fit_seconds: 0, metrics: {}, skipped: failed });
      continue;
    }
    results.push({
      model: m.name, params: resolved, fit_seconds: fitSeconds / folds.length, metrics: meanOf(perFold),
      ...(folds.length > 1 ? { folds: perFold } : {}), ...(tuning ? { tuning } : {}),
    });
  }
  const data = request.data;
  return {
    protocol: protocol.name, dataset: request.dataset, k, seed,
    data: { users: data.users.size, items: data.items.size, interactions: data.user.length, explicit: data.explicit },
    results,
  };
}

function skipReason(protocol: Protocol): string {
  if (protocol.name === 'surprise-5fold') return 'predicts no ratings';
  if (protocol.name === 'cold-user') return 'cannot score users it was not trained on';
  if (protocol.name === 'cold-item') return 'uses no item content';
  return 'not applicable';
}

function meanOf(list: Metrics[]): Metrics {
  const out: Metrics = {};
  for (const m of list) for (const [name, v] of Object.entries(m)) out[name] = (out[name] ?? 0) + v / list.length;
  return out;
}
