import { AppError } from '../../core/errors.js';

/** CRF weights as plain arrays (read from a ParamStore: transitions T×T row-major, start T, end T). */
export interface CrfWeights {
  transitions: Float32Array;
  start: Float32Array;
  end: Float32Array;
}

/**
 * The best tag sequence of one sentence under a linear-chain CRF, by Viterbi in TS (float64):
 * `emissions` holds length × T scores (row-major, e.g. the graph's output for one sequence).
 * Returns the path and its score (emissions + start + transitions + end).
 *
 * @example const { path } = viterbi(emissionRows, tokens.length, 9, { transitions, start, end });
 */
export function viterbi(emissions: ArrayLike<number>, length: number, tags: number, crf: CrfWeights): { path: number[]; score: number } {
  if (length < 1 || emissions.length < length * tags) throw AppError.invalid(`viterbi needs ${length} × ${tags} emission scores, got ${emissions.length}`);
  if (crf.transitions.length !== tags * tags || crf.start.length !== tags || crf.end.length !== tags) throw AppError.invalid(`CRF weights do not match ${tags} tags`);
  let best = Float64Array.from({ length: tags }, (_, j) => crf.start[j]! + emissions[j]!);
  const back = new Int32Array(length * tags);
  for (let t = 1; t < length; t++) {
    const next = new Float64Array(tags);
    for (let j = 0; j < tags; j++) {
      let arg = 0;
      let top = -Infinity;
      for (let i = 0; i < tags; i++) {
        const s = best[i]! + crf.transitions[i * tags + j]!;
        if (s > top) { top = s; arg = i; }
      }
      next[j] = top + emissions[t * tags + j]!;
      back[t * tags + j] = arg;
    }
    best = next;
  }
  let last = 0;
  let score = -Infinity;
  for (let j = 0; j < tags; j++) {
    const s = best[j]! + crf.end[j]!;
    if (s > score) { score = s; last = j; }
  }
  const path = new Array<number>(length);
  path[length - 1] = last;
  for (let t = length - 1; t > 0; t--) path[t - 1] = back[t * tags + path[t]!]!;
  return { path, score };
}
