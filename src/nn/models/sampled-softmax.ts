import { AppError } from '../../core/errors.js';
import type { Graph, Value } from '../graph.js';
import { MASKED } from '../layers/attention.js';

/**
 * Sampled softmax cross-entropy of next-item prediction: at each of P positions, the logit of the true
 * next item (`states` · `positives`, both [P, W]) against the logits of the `negatives` [N, W] shared
 * by the batch. `collisions` [P, N] is 1 where a negative is the position's own item (that logit is
 * dropped, so an item is never pushed away from itself), `weights` [P] keeps real positions only.
 * Mean over kept positions. With uniform samples the expected logits are those of the full softmax
 * up to a constant, so no sampling correction is needed.
 *
 * @example const loss = sampledSoftmaxLoss(g, states, positives, negatives, collisions, weights);
 */
export function sampledSoftmaxLoss(g: Graph, states: Value, positives: Value, negatives: Value, collisions: Value, weights: Value): Value {
  const [positions] = states.shape as [number, number];
  const pos = g.sum(g.mul(states, positives), [-1], true);
  const neg = g.add(g.matmul(states, g.transposeLast(negatives)), g.mul(collisions, g.constant(MASKED)));
  const logProb = g.reshape(g.slice(g.logSoftmax(g.concat([pos, neg], 1), -1), 1, 0, 1), [positions]);
  return g.neg(g.div(g.sum(g.mul(logProb, weights), [0]), g.sum(weights, [0])));
}

/** One next-item batch with shared negatives: B × L sequence and positive ids (row-major), N negative ids. */
export interface SharedNegativesBatch {
  sequences: ArrayLike<number>;
  positives: ArrayLike<number>;
  negatives: ArrayLike<number>;
}

/**
 * The per-step feeds of a sampled-softmax batch, in buffers reused between steps: the keep-mask
 * [B·L] (1 where the sequence holds an item, which must then have a next item) and the collisions
 * [B·L, N] of each position's next item with the shared negatives. Checks the batch's sizes.
 *
 * @example const { mask, collisions } = feeds.fill(batch); // then trainer.step({ mask, collisions }, ids)
 */
export class SampledSoftmaxFeeds {
  readonly mask: Float32Array;
  readonly collisions: Float32Array;

  constructor(readonly positions: number, readonly negatives: number, private readonly model: string) {
    this.mask = new Float32Array(positions);
    this.collisions = new Float32Array(positions * negatives);
  }

  fill(batch: SharedNegativesBatch): { mask: Float32Array; collisions: Float32Array } {
    const { positions: n, negatives } = this;
    if (batch.sequences.length !== n || batch.positives.length !== n || batch.negatives.length !== negatives) {
      throw AppError.invalid(`a ${this.model} batch holds ${n} sequence and positive ids and ${negatives} negatives, got ${batch.sequences.length}, ${batch.positives.length}, ${batch.negatives.length}`);
    }
    let kept = 0;
    for (let p = 0; p < n; p++) {
      // Every position holding an item trains on predicting its next item (so the mask is also the loss weight).
      const item = batch.positives[p]!;
      const present = batch.sequences[p] !== 0;
      if (present && item === 0) throw AppError.invalid(`${this.model} batch position ${p} holds an item but no next item`, { field: 'positives', index: p });
      this.mask[p] = present ? 1 : 0;
      if (present) kept++;
      const row = this.collisions.subarray(p * negatives, (p + 1) * negatives);
      for (let k = 0; k < negatives; k++) row[k] = batch.negatives[k] === item ? 1 : 0;
    }
    if (kept === 0) throw AppError.invalid(`a ${this.model} batch needs at least one position holding an item`);
    return { mask: this.mask, collisions: this.collisions };
  }
}
