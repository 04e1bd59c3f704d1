import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { CpuExecutor } from '../cpu/cpu-executor.js';
import { Graph } from '../graph.js';
import { selfAttention } from './attention.js';
import { checkGradients } from './check-gradients.js';
import { NetBuilder } from './net-builder.js';
import { ParamStore } from './param-store.js';

const TOLERANCE = 5e-3;
const [B, L, D, HEADS] = [2, 4, 4, 2];
const keep = Float32Array.from([1, 1, 1, 0, 1, 1, 0, 0]);

function build(options: { causal?: boolean; masked?: boolean }) {
  const g = new Graph();
  const store = new ParamStore();
  const rng = new SeededRandom('attention');
  const r = selfAttention(new NetBuilder(g, store, rng), g.input('x', [B, L, D]), { heads: HEADS, causal: options.causal, mask: options.masked ? g.input('mask', [B, L]) : undefined });
  const x = Float32Array.from({ length: B * L * D }, () => rng.range(-1, 1));
  return { g, store, r, x };
}

describe('multi-head self-attention', () => {
  it('gives masked keys exactly zero weight, rows sum to 1, and padded inputs do not reach real positions', () => {
    const { g, store, r, x } = build({ causal: true, masked: true });
    const run = new CpuExecutor(g, [r.weights, r.output]);
    const [weights, out] = run.run({ x, mask: keep }, store.tensors());
    for (let b = 0; b < B; b++) for (let h = 0; h < HEADS; h++) for (let i = 0; i < L; i++) {
      let total = 0;
      for (let j = 0; j < L; j++) {
        const w = weights![((b * HEADS + h) * L + i) * L + j]!;
        total += w;
        if (j > i || keep[b * L + j] === 0) expect(w).toBe(0);
        else expect(w).toBeGreaterThan(0);
      }
      expect(total).toBeCloseTo(1, 5);
    }
    // Change the padded steps' inputs: outputs at real steps stay the same.
    const changed = x.slice();
    for (let b = 0; b < B; b++) for (let t = 0; t < L; t++) if (keep[b * L + t] === 0) for (let d = 0; d < D; d++) changed[(b * L + t) * D + d] = 9;
    const [, out2] = run.run({ x: changed, mask: keep }, store.tensors());
    for (let b = 0; b < B; b++) for (let t = 0; t < L; t++) if (keep[b * L + t] === 1) for (let d = 0; d < D; d++) expect(out2![(b * L + t) * D + d]).toBe(out![(b * L + t) * D + d]);
  });

  it('without masks every weight is positive', () => {
    const { g, store, r, x } = build({});
    const [weights] = new CpuExecutor(g, [r.weights]).run({ x }, store.tensors());
    expect(weights!.every((w) => w > 0)).toBe(true);
  });

  it.each([
    ['no mask', false, false],
    ['padding mask', false, true],
    ['causal mask', true, false],
    ['padding and causal masks', true, true],
  ])('gradients match finite differences: %s', (_name, causal, masked) => {
    const { maxError, checked } = checkGradients(`attn-${causal}-${masked}`, (b) => {
      const g = b.graph;
      return selfAttention(b, g.input('x', [B, L, D]), { heads: HEADS, causal, mask: masked ? g.input('mask', [B, L]) : undefined }).output;
    }, { fixed: { mask: keep } });
    expect(checked).toBe(4 * (D * D + D) + B * L * D);
    expect(maxError).toBeLessThan(TOLERANCE);
  });

  it('rejects a width that does not split into the heads', () => {
    const g = new Graph();
    expect(() => selfAttention(new NetBuilder(g, new ParamStore(), new SeededRandom(1)), g.input('x', [1, 2, 6]), { heads: 4 })).toThrow(/does not split/);
  });
});
