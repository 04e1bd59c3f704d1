import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import type { Value } from '../graph.js';
import { sizeOf } from '../shape.js';
import type { DropoutSlot, NetBuilder } from './net-builder.js';

/**
 * Inverted dropout: in a training graph, `x` times a keep-mask input (values 0 or 1/(1 − rate)) that
 * the caller draws each step with `dropoutFeeds`; in an inference graph (or at rate 0), `x` itself.
 *
 * @example const h = dropout(b, pooled, 0.5); // then feed { ...dropoutFeeds(b.dropouts, rng) }
 */
export function dropout(b: NetBuilder, x: Value, rate: number): Value {
  if (!(rate >= 0 && rate < 1)) throw AppError.invalid(`dropout rate must be in [0, 1), got ${rate}`, { field: 'rate' });
  if (!b.training || rate === 0) return x;
  const slot: DropoutSlot = { name: b.name(`dropout_${b.dropouts.length}`), shape: [...x.shape], rate };
  b.dropouts.push(slot);
  return b.graph.mul(x, b.graph.input(slot.name, slot.shape));
}

/**
 * Fresh keep-masks for every dropout slot of a graph, drawn from `rng`.
 *
 * @example executor.run({ ...batchInputs, ...dropoutFeeds(builder.dropouts, rng) }, params)
 */
export function dropoutFeeds(slots: readonly DropoutSlot[], rng: SeededRandom): Record<string, Float32Array> {
  const feeds: Record<string, Float32Array> = {};
  for (const slot of slots) {
    const keep = 1 - slot.rate;
    const mask = new Float32Array(sizeOf(slot.shape));
    for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < keep ? 1 / keep : 0;
    feeds[slot.name] = mask;
  }
  return feeds;
}
