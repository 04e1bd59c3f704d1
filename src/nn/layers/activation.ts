import type { Graph, Value } from '../graph.js';

export type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid';

/**
 * Applies a named activation.
 *
 * @example activate(g, h, 'relu')
 */
export function activate(g: Graph, x: Value, activation: Activation = 'linear'): Value {
  switch (activation) {
    case 'linear': return x;
    case 'relu': return g.relu(x);
    case 'tanh': return g.tanh(x);
    case 'sigmoid': return g.sigmoid(x);
  }
}
