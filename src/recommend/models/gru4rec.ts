import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { Gru4rec, type Gru4recConfig } from '../../nn/models/gru4rec.js';
import { modelBackend, type ModelBackend } from '../../nn/models/model-backend.js';
import { lastItems, NextItemBatches } from '../../nn/models/next-item-batches.js';
import { restoreStore, storeArrays } from '../../nn/models/store-arrays.js';
import { decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import { type FitOptions, type FitReport, type ModelEntry, BaseRecommender, checkCancelled, secondsSince } from '../recommender.js';
import type { TrainingData, UserQuery } from '../training-data.js';

export const GRU4REC_PARAMS = {
  dim: { type: 'int', default: 64, min: 1, max: 1024, doc: 'width of the input item embeddings', tune: [16, 128], log: true },
  hidden: { type: 'int', default: 64, min: 1, max: 1024, doc: 'GRU units (and width of the output item vectors)', tune: [16, 128], log: true },
  length: { type: 'int', default: 20, min: 2, max: 512, doc: 'items of history the GRU reads (older ones are dropped)', tune: [10, 50], log: true },
  batchSize: { type: 'int', default: 64, min: 1, max: 4096, doc: 'user sequences per training step', tune: [32, 256], log: true },
  epochs: { type: 'int', default: 20, min: 1, max: 2000, doc: 'passes over the user sequences', tune: [5, 100], log: true },
  lr: { type: 'float', default: 0.003, min: 1e-6, max: 1, doc: 'Adam learning rate (GRU and item tables)', tune: [5e-4, 2e-2], log: true },
  negatives: { type: 'int', default: 256, min: 1, max: 8192, doc: 'sampled negative items per batch, shared by all its positions (softmax over 1 + negatives)', tune: [32, 1024], log: true },
  dropout: { type: 'float', default: 0.5, min: 0, max: 0.9, doc: 'dropout on the input embeddings and the GRU states while training (none at inference)', tune: [0, 0.5] },
  backend: { type: 'enum', default: 'onnx', values: ['onnx', 'cpu'], doc: 'onnx: onnxruntime (fast); cpu: the TypeScript reference backend' },
} as const;

type Gru4recParams = ParamsOf<typeof GRU4REC_PARAMS>;

/**
 * GRU4Rec (Hidasi et al. 2016) on the nn engine (src/nn/models/gru4rec.ts): item embedding → GRU →
 * the state scores every item by a dot product with its output vector plus an item bias. Each user's
 * history, oldest first, is one session; every position learns its next item with a softmax
 * cross-entropy against `negatives` items drawn uniformly per batch and shared by all positions
 * (Hidasi & Karatzoglou 2018's cross-entropy with additional samples). Cross-entropy rather than
 * BPR-max: it has no regularisation weight to tune, its gradient does not vanish once the positive
 * beats most samples, and with uniform samples the bias column learns item popularity, which
 * full-ranking metrics reward. Scores a query from its last `length` items, so new users fold in.
 *
 * @example const model = GRU4REC.create({ hidden: 64, epochs: 20 }); await model.fit(data, { rng });
 */
export class Gru4recRecommender extends BaseRecommender {
  readonly name = 'gru4rec';
  readonly capabilities = { ratings: false, foldIn: true, content: false, sequential: true };
  readonly params: Gru4recParams;
  private net: Gru4rec | undefined;

  constructor(params: Record<string, unknown> = {}) {
    super();
    this.params = resolveParams('gru4rec', GRU4REC_PARAMS, params);
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    this.net = undefined; // a failed or cancelled fit leaves no half-trained model behind
    const started = this.begin(data);
    const p = this.params;
    const users = Array.from({ length: data.numUsers }, (_, u) => data.sequence(u));
    const batches = new NextItemBatches(users, data.numItems, p.length, p.batchSize);
    const backend = modelBackend(p.backend);
    const net = this.build(data.numItems, options.rng.fork('model'), backend);
    const order = options.rng.fork('order');
    const sampler = options.rng.fork('negatives');
    const negatives = new Int32Array(p.negatives);
    const losses: number[] = [];
    try {
      for (let epoch = 0; epoch < p.epochs; epoch++) {
        batches.shuffle(order);
        let sum = 0;
        for (let k = 0; k < batches.batches; k++) {
          checkCancelled(options.signal);
          const { sequences, positives } = batches.batch(k);
          sum += await net.trainStep({ sequences, positives, negatives: batches.sharedNegatives(sampler, negatives) });
        }
        losses.push(sum / batches.batches);
        options.onProgress?.({ step: epoch + 1, steps: p.epochs, unit: 'epoch', loss: losses[epoch] });
      }
    } finally {
      await backend.releaseTraining();
    }
    this.net = net;
    return { seconds: secondsSince(started), epochs: p.epochs, losses, sequences: batches.rows };
  }

  async score(query: UserQuery, out: Float32Array): Promise<void> {
    this.requireFitted();
    const scores = await this.net!.scores(lastItems(query.history, this.params.length, this.numItems));
    out.set(scores.subarray(1, this.numItems + 1));
  }

  save(): Uint8Array {
    this.requireFitted();
    return encodeModel({ model: this.name, params: this.params, state: { numUsers: this.numUsers, numItems: this.numItems }, arrays: storeArrays(this.net!.store) });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    const numItems = Number(file.state.numItems);
    if (!(Number.isInteger(numItems) && numItems >= 1)) throw AppError.invalid('gru4rec file: state.numItems is missing or not a positive whole number', { field: 'model' });
    // The weights are overwritten by the file; the generator only fills them first.
    const net = this.build(numItems, new SeededRandom('gru4rec/load'), modelBackend(this.params.backend));
    restoreStore(net.store, file.arrays);
    this.net = net;
    this.numItems = numItems;
    this.numUsers = Number(file.state.numUsers ?? 0);
  }

  protected override requireFitted(): void {
    if (!this.net) throw AppError.unavailable(`${this.name}: the model is not trained yet`);
  }

  private build(items: number, rng: SeededRandom, backend: ModelBackend): Gru4rec {
    const p = this.params;
    const config: Gru4recConfig = { items, dim: p.dim, hidden: p.hidden, length: p.length, batchSize: p.batchSize, negatives: p.negatives, dropout: p.dropout };
    return new Gru4rec(config, rng, { ...backend, lr: p.lr });
  }
}

export const GRU4REC: ModelEntry = {
  name: 'gru4rec',
  description: 'GRU4Rec: a recurrent network over the user’s history predicts the next item (sequential, folds in new users)',
  spec: GRU4REC_PARAMS,
  capabilities: { ratings: false, foldIn: true, content: false, sequential: true },
  create: (params) => new Gru4recRecommender(params),
};
