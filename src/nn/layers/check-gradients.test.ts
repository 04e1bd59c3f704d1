import { describe, expect, it } from 'vitest';
import { checkGradients } from './check-gradients.js';
import { dense } from './dense.js';

describe('checkGradients', () => {
  it('notices a gradient that is wrong', () => {
    // The forward value uses the params twice, the graph gradient (on purpose) sees one use only.
    const { maxError } = checkGradients('broken', (b) => {
      const g = b.graph;
      const y = dense(b, g.input('x', [2, 3]), { units: 2 });
      return g.add(y, g.stopGradient(y));
    });
    expect(maxError).toBeGreaterThan(0.1);
  });
});
