import type { SeededRandom } from '../../math/random.js';
import { Graph } from '../graph.js';
import { NetBuilder } from '../layers/net-builder.js';
import { cpuExecutor } from '../executor.js';
import { GraphTrainer, type ModelOptions } from './graph-trainer.js';
import { SampledSoftmaxFeeds, sampledSoftmaxLoss, type SharedNegativesBatch } from './sampled-softmax.js';
import { sasrecNetwork, type Sasrec } from './sasrec.js';

/**
 * A second training objective for a `Sasrec`: sampled softmax cross-entropy of the next item against
 * `negatives` items shared by the batch (see `sampledSoftmaxLoss`), instead of `Sasrec.trainStep`'s
 * one sampled negative per position. It builds its own training graph over the model's store and item
 * table (same param names, so it trains the weights that `Sasrec.scores` reads); build the `Sasrec`
 * with a lazy backend (`modelBackend`) so its own BCE training graph is never compiled. The model's
 * config must be `masked` (padding carries no loss). With many negatives per position the gradient
 * keeps pushing the true item above most items, not just above one random item, which learns
 * full-ranking orders much faster.
 *
 * @example
 * const net = new Sasrec({ ...config, masked: true }, rng, backend);
 * const trainer = new SasrecSoftmaxTrainer(net, 256, rng.fork('softmax'), backend);
 * await trainer.trainStep({ sequences, positives, negatives });
 */
export class SasrecSoftmaxTrainer {
  readonly trainer: GraphTrainer;
  private readonly feeds: SampledSoftmaxFeeds;

  constructor(readonly net: Sasrec, readonly negatives: number, rng: SeededRandom, options: ModelOptions = {}) {
    const { dim, length: S, batchSize: B } = net.config;
    const g = new Graph();
    const tb = new NetBuilder(g, net.store, rng, { training: true });
    const sequence = net.table.input(g, [B, S]);
    const mask = g.input('mask', [B, S]);
    const hidden = sasrecNetwork(tb, sequence, net.config, mask);
    const positive = g.input('positives', [B * S, dim]);
    const negative = g.input('negatives', [negatives, dim]);
    const loss = sampledSoftmaxLoss(g, g.reshape(hidden, [B * S, dim]), positive, negative, g.input('collisions', [B * S, negatives]), g.reshape(mask, [B * S]));
    const rows = [sequence, positive, negative].map((input) => ({ input, table: net.table }));
    this.trainer = new GraphTrainer(g, loss, net.store, rows, tb.dropouts, rng, { ...options, executor: options.executor ?? cpuExecutor });
    this.feeds = new SampledSoftmaxFeeds(B * S, negatives, 'SASRec');
  }

  /** One Adam step on exactly `batchSize` sequences of `length` and `negatives` shared negatives; returns the loss. */
  async trainStep(batch: SharedNegativesBatch): Promise<number> {
    const { mask, collisions } = this.feeds.fill(batch);
    return this.trainer.step({ mask, collisions }, { [this.net.table.name]: batch.sequences, positives: batch.positives, negatives: batch.negatives });
  }
}
