import type { SeededRandom } from '../../math/random.js';
import type { Graph, Value } from '../graph.js';
import type { Shape } from '../shape.js';
import type { Initializer } from './init.js';
import type { ParamStore } from './param-store.js';

/** A dropout keep-mask input the caller feeds every training step (see `dropoutFeeds`). */
export interface DropoutSlot {
  name: string;
  shape: Shape;
  rate: number;
}

/**
 * What every layer function builds into: the graph, the param store its params are registered in
 * (created with their initialiser on first use, shape-checked after), the seeded generator initialisers
 * draw from, a name prefix, and whether the graph is for training (dropout active) or inference.
 * Build a training graph and an inference graph over the same store and they share the weights.
 *
 * @example
 * const b = new NetBuilder(new Graph(), store, rng, { training: true });
 * const h = dense(b.scope('hidden'), b.graph.input('x', [64, 10]), { units: 32, activation: 'relu' });
 */
export class NetBuilder {
  readonly training: boolean;
  /** Dropout masks of this graph (shared by every scope of one builder). */
  readonly dropouts: DropoutSlot[];
  private readonly prefix: string;

  constructor(
    readonly graph: Graph,
    readonly store: ParamStore,
    readonly rng: SeededRandom,
    options: { training?: boolean; prefix?: string; dropouts?: DropoutSlot[] } = {},
  ) {
    this.training = options.training ?? false;
    this.prefix = options.prefix ?? '';
    this.dropouts = options.dropouts ?? [];
  }

  /** A builder whose names start with `prefix/` (nested scopes join with '/'). */
  scope(name: string): NetBuilder {
    return new NetBuilder(this.graph, this.store, this.rng, { training: this.training, prefix: this.name(name), dropouts: this.dropouts });
  }

  /** The full name of `local` in this scope. */
  name(local: string): string {
    return this.prefix ? `${this.prefix}/${local}` : local;
  }

  /** A graph param named in this scope, registered in the store with `init` if new. */
  param(local: string, shape: Shape, init: Initializer): Value {
    const name = this.name(local);
    this.store.ensure(name, shape, init, this.rng);
    return this.graph.param(name, shape);
  }

  /** Names of the params this builder's graph uses (what to bind and what to differentiate). */
  paramNames(): string[] {
    return [...this.graph.params().keys()];
  }
}
