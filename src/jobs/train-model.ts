import { SeededRandom } from '../math/random.js';
import { WorkerPool } from '../math/worker-pool.js';
import type { FitProgress } from '../recommend/recommender.js';
import { createModel } from '../recommend/registry.js';
import { TrainedModel } from '../recommend/trained-model.js';
import { TrainingData } from '../recommend/training-data.js';
import { quickHoldout } from './quick-holdout.js';
import { fromWire, type JobProgress, type TrainingMessage, type TrainingRequest } from './training-protocol.js';

/** Least time between two progress messages of one phase (the last step is always sent). */
const PROGRESS_INTERVAL_MS = 100;

/**
 * The body of a training job (what the worker thread runs): builds the training data, fits a holdout
 * copy when asked, fits the model with progress, and returns the served-model blob (the model's
 * bytes with the id lists and the users' rows, see TrainedModel).
 *
 * @example const done = await trainModel({ model: 'ease', params: {}, seed: 1, holdout: true, interactions: wire }, (p) => console.log(p));
 */
export async function trainModel(request: TrainingRequest, onProgress: (progress: JobProgress) => void): Promise<Extract<TrainingMessage, { type: 'done' }>> {
  const interactions = fromWire(request.interactions);
  const data = new TrainingData(interactions);
  const rng = new SeededRandom(request.seed);
  const pool = new WorkerPool();
  try {
    const holdout = request.holdout
      ? await quickHoldout(interactions, () => createModel(request.model, request.params), { rng: rng.fork('holdout'), fit: { pool, onProgress: throttled('holdout', onProgress) } })
      : undefined;
    const model = createModel(request.model, request.params);
    const report = await model.fit(data, { rng: rng.fork('fit'), pool, onProgress: throttled('fitting', onProgress) });
    onProgress({ phase: 'saving', step: 0, steps: 1, unit: 'model' });
    const blob = TrainedModel.fromTraining(model, data).save();
    return {
      type: 'done', blob, report, params: { ...model.params },
      data: { users: data.numUsers, items: data.numItems, rows: data.size },
      ...(holdout ? { holdout } : {}),
    };
  } finally {
    await pool.close();
  }
}

function throttled(phase: JobProgress['phase'], onProgress: (progress: JobProgress) => void): (p: FitProgress) => void {
  let last = -Infinity;
  return (p) => {
    const now = performance.now();
    if (p.step < p.steps && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    onProgress({ phase, step: p.step, steps: p.steps, unit: p.unit, ...(p.loss !== undefined && Number.isFinite(p.loss) ? { loss: p.loss } : {}) });
  };
}
