import { AppError } from '../../core/errors.js';

/**
 * Global-norm gradient clipping: when ‖all gradients‖₂ > maxNorm, scales every array in place by
 * maxNorm / norm. Include sparse embedding gradients (their summed rows) to clip the whole model.
 * Returns the norm before clipping and the scale applied (1 when not clipped). Do not pass arrays
 * that alias params or inputs.
 *
 * @example const { norm } = clipGlobalNorm([...grads.values(), sparse.grad], 5);
 */
export function clipGlobalNorm(grads: Iterable<Float32Array>, maxNorm: number): { norm: number; scale: number } {
  if (!(maxNorm > 0)) throw AppError.invalid(`maxNorm must be > 0, got ${maxNorm}`, { field: 'maxNorm' });
  const list = [...grads];
  let sq = 0;
  for (const g of list) for (let i = 0; i < g.length; i++) sq += g[i]! * g[i]!;
  const norm = Math.sqrt(sq);
  if (!(norm > maxNorm)) return { norm, scale: 1 };
  const scale = maxNorm / norm;
  for (const g of list) for (let i = 0; i < g.length; i++) g[i]! *= scale;
  return { norm, scale };
}
