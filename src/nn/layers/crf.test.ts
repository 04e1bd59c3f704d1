import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { checkGradients } from './check-gradients.js';
import { crfLogPartition, crfLoss, crfParams, crfSequenceScore } from './crf.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';
import { viterbi, type CrfWeights } from './viterbi.js';

const TOLERANCE = 5e-3;
const T = 3;

/** Score of one tag path in float64. */
function pathScore(e: Float32Array, offset: number, path: number[], w: CrfWeights): number {
  let s = w.start[path[0]!]! + w.end[path[path.length - 1]!]!;
  path.forEach((tag, t) => {
    s += e[offset + t * T + tag]!;
    if (t > 0) s += w.transitions[path[t - 1]! * T + tag]!;
  });
  return s;
}

function allPaths(length: number): number[][] {
  if (length === 0) return [[]];
  return allPaths(length - 1).flatMap((p) => Array.from({ length: T }, (_, tag) => [...p, tag]));
}

function setup(seed: string, B: number, L: number) {
  const rng = new SeededRandom(seed);
  const g = new Graph();
  const store = new ParamStore();
  const crf = crfParams(new NetBuilder(g, store, rng), T);
  for (const name of ['transitions', 'start', 'end']) store.get(name).forEach((_, i, a) => (a[i] = rng.range(-2, 2)));
  const weights: CrfWeights = { transitions: store.get('transitions'), start: store.get('start'), end: store.get('end') };
  const emissions = Float32Array.from({ length: B * L * T }, () => rng.range(-2, 2));
  return { rng, g, store, crf, weights, emissions };
}

describe('linear-chain CRF', () => {
  it('log Z by the forward algorithm equals log Σ exp(score) over every tag sequence, with and without a mask', () => {
    const [B, L] = [2, 4];
    const { g, store, crf, weights, emissions } = setup('crf-z', B, L);
    const e = g.input('e', [B, L, T]);
    const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0]);
    const logZ = crfLogPartition(g, crf, e);
    const logZMasked = crfLogPartition(g, crf, e, g.input('mask', [B, L]));
    const [z, zm] = new CpuExecutor(g, [logZ, logZMasked]).run({ e: emissions, mask }, store.tensors());
    const brute = (b: number, length: number) => Math.log(allPaths(length).reduce((acc, p) => acc + Math.exp(pathScore(emissions, b * L * T, p, weights)), 0));
    expect(z![0]).toBeCloseTo(brute(0, 4), 4);
    expect(z![1]).toBeCloseTo(brute(1, 4), 4);
    expect(zm![0]).toBeCloseTo(brute(0, 4), 4);
    expect(zm![1]).toBeCloseTo(brute(1, 2), 4);
  });

  it('the sequence score of one-hot tags equals the path score, counting only real steps', () => {
    const [B, L] = [2, 4];
    const { g, store, crf, weights, emissions } = setup('crf-score', B, L);
    const paths = [[0, 2, 1, 1], [2, 0, 1, 2]];
    const onehot = new Float32Array(B * L * T);
    paths.forEach((p, b) => p.forEach((tag, t) => (onehot[(b * L + t) * T + tag] = 1)));
    const e = g.input('e', [B, L, T]);
    const y = g.input('y', [B, L, T]);
    const s = crfSequenceScore(g, crf, e, y, g.input('mask', [B, L]));
    const [score] = new CpuExecutor(g, [s]).run({ e: emissions, y: onehot, mask: Float32Array.from([1, 1, 1, 1, 1, 1, 1, 0]) }, store.tensors());
    expect(score![0]).toBeCloseTo(pathScore(emissions, 0, paths[0]!, weights), 4);
    expect(score![1]).toBeCloseTo(pathScore(emissions, L * T, paths[1]!.slice(0, 3), weights), 4);
  });

  it.each([['without a mask', false], ['with a mask', true]])('the NLL gradient matches finite differences %s', (_name, masked) => {
    const [B, L] = [2, 3];
    const y = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]);
    const { maxError, checked } = checkGradients(`crf-nll-${masked}`, (b) => {
      const g = b.graph;
      const crf = crfParams(b, T);
      return crfLoss(g, crf, g.input('e', [B, L, T]), g.input('y', [B, L, T]), masked ? g.input('mask', [B, L]) : undefined);
    }, { fixed: { y, mask: Float32Array.from([1, 1, 1, 1, 1, 0]) }, paramScale: 1 });
    expect(checked).toBe(9 + 3 + 3 + B * L * T);
    expect(maxError).toBeLessThan(TOLERANCE);
  });

  it('the NLL is ≥ 0 (the gold path is one of the summed paths)', () => {
    const { g, store, crf, emissions } = setup('crf-nll', 1, 4);
    const loss = crfLoss(g, crf, g.input('e', [1, 4, T]), g.input('y', [1, 4, T]));
    const y = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    const [nll] = new CpuExecutor(g, [loss]).run({ e: emissions, y }, store.tensors());
    expect(nll![0]).toBeGreaterThan(0);
  });

  it('Viterbi finds the brute-force arg-max path and its score', () => {
    for (let trial = 0; trial < 5; trial++) {
      const L = 1 + trial;
      const { weights, emissions } = setup(`viterbi-${trial}`, 1, L);
      let best = -Infinity;
      let bestPath: number[] = [];
      for (const p of allPaths(L)) {
        const s = pathScore(emissions, 0, p, weights);
        if (s > best) { best = s; bestPath = p; }
      }
      const result = viterbi(emissions, L, T, weights);
      expect(result.path).toEqual(bestPath);
      expect(result.score).toBeCloseTo(best, 5);
    }
  });
});
