import type { SeededRandom } from '../math/random.js';
import type { Graph, Value } from './graph.js';
import type { Shape } from './shape.js';

/**
 * One graph of the shared suites: a name, the shapes of its params, a builder, and whether params must
 * be positive (log, sqrt, div). The same tuple form as the gradient check's `it.each` list.
 */
export type GraphCase = [name: string, shapes: Shape[], build: (g: Graph, p: Value[]) => Value, options?: { positive?: boolean }];

/**
 * Every op of the graph IR and its gradient: checked against finite differences on the cpu backend
 * (autodiff.test.ts) and evaluated on both backends by cross-backend.test.ts.
 *
 * @example it.each(gradientCases)('%s', (_name, shapes, build, options) => gradCheck(rng, shapes, build, options))
 */
export const gradientCases: GraphCase[] = [
  ['add with broadcast', [[3, 4], [4]], (g, [a, b]) => g.add(a!, b!)],
  ['sub with broadcast', [[2, 1, 3], [4, 3]], (g, [a, b]) => g.sub(a!, b!)],
  ['mul with broadcast', [[3, 4], [3, 1]], (g, [a, b]) => g.mul(a!, b!)],
  ['div', [[3, 4], [3, 4]], (g, [a, b]) => g.div(a!, b!), { positive: true }],
  ['neg', [[5]], (g, [a]) => g.neg(a!)],
  ['exp', [[2, 3]], (g, [a]) => g.exp(a!)],
  ['log', [[2, 3]], (g, [a]) => g.log(a!), { positive: true }],
  ['sqrt', [[2, 3]], (g, [a]) => g.sqrt(a!), { positive: true }],
  ['relu', [[2, 3]], (g, [a]) => g.relu(g.add(a!, g.constant(0.05)))],
  ['sigmoid', [[2, 3]], (g, [a]) => g.sigmoid(a!)],
  ['tanh', [[2, 3]], (g, [a]) => g.tanh(a!)],
  ['matmul', [[3, 5], [5, 2]], (g, [a, b]) => g.matmul(a!, b!)],
  ['batched matmul with broadcast', [[2, 3, 4], [4, 5]], (g, [a, b]) => g.matmul(a!, b!)],
  ['transpose', [[2, 3, 4]], (g, [a]) => g.transpose(a!, [2, 0, 1])],
  ['reshape', [[2, 6]], (g, [a]) => g.reshape(a!, [3, 4])],
  ['broadcastTo', [[3, 1]], (g, [a]) => g.broadcastTo(a!, [2, 3, 4])],
  ['concat', [[2, 3], [2, 2]], (g, [a, b]) => g.concat([a!, b!], 1)],
  ['slice', [[3, 5]], (g, [a]) => g.slice(a!, 1, 1, 4)],
  ['disjoint slices of one tensor, with gaps', [[3, 7]], (g, [a]) => g.mul(g.slice(a!, 1, 0, 2), g.slice(a!, 1, 4, 6))],
  ['overlapping slices of one tensor', [[3, 6]], (g, [a]) => g.concat([g.slice(a!, 1, 0, 2), g.slice(a!, 1, 3, 5), g.slice(a!, 1, 1, 4)], 1)],
  ['pad', [[2, 3]], (g, [a]) => g.pad(a!, [1, 0, 0, 2])],
  ['sum over axes', [[2, 3, 4]], (g, [a]) => g.sum(a!, [0, 2])],
  ['mean keeping dims', [[2, 3, 4]], (g, [a]) => g.mean(a!, [1], true)],
  ['max (pooling over time)', [[2, 5, 3]], (g, [a]) => g.max(a!, [1])],
  ['softmax', [[3, 4]], (g, [a]) => g.softmax(a!)],
  ['logSoftmax on a middle axis', [[2, 4, 3]], (g, [a]) => g.logSoftmax(a!, 1)],
  ['a two-layer network with cross-entropy', [[4, 6], [6, 5], [5], [5, 3]], (g, [x, w1, b1, w2]) => {
    const h = g.tanh(g.add(g.matmul(x!, w1!), b1!));
    const labels = g.constant(Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]), [4, 3]);
    return g.neg(g.mean(g.sum(g.mul(g.logSoftmax(g.matmul(h, w2!)), labels), [1]), [0]));
  }],
];

/**
 * Graphs that exercise the backends rather than the gradients: corners of the op mapping (empty reduce
 * axes, a stopped gradient, step and equal, batched matmul on both sides, padding on several axes).
 *
 * @example for (const [name, shapes, build] of backendCases) compare(name, shapes, build)
 */
export const backendCases: GraphCase[] = [
  ['stopGradient', [[4]], (g, [a]) => g.add(g.mul(a!, a!), g.stopGradient(g.exp(a!)))],
  ['step and equal', [[3, 4]], (g, [a]) => g.add(g.step(a!), g.equal(a!, g.max(a!, [1], true)))],
  ['sum over no axes is the identity', [[2, 3]], (g, [a]) => g.mul(g.sum(a!, []), a!)],
  ['sum to a scalar', [[2, 3]], (g, [a]) => g.mul(a!, g.sum(a!, [0, 1]))],
  ['max keeping dims over two axes', [[2, 3, 4]], (g, [a]) => g.max(a!, [0, 2], true)],
  ['batched matmul, batch on both sides', [[2, 1, 3, 4], [3, 4, 2]], (g, [a, b]) => g.matmul(a!, b!)],
  ['pad on several axes then slice', [[2, 3, 2]], (g, [a]) => g.slice(g.pad(a!, [0, 1, 2, 1, 0, 1]), 1, 1, 3)],
  ['softmax of a concat on axis 0', [[2, 3], [1, 3]], (g, [a, b]) => g.softmax(g.concat([a!, b!], 0), 0)],
];

/** Sizes of the benchmark / test MLP. */
export interface MlpSpec {
  batch: number;
  inputs: number;
  hidden: number;
  classes: number;
}

/** The values of a built MLP graph. */
export interface Mlp {
  x: Value;
  labels: Value;
  params: Value[];
  logits: Value;
  loss: Value;
}

/**
 * A one-hidden-layer relu network with mean softmax cross-entropy over one-hot `labels`: the training
 * graph of the cross-backend suite and the nn-onnx benchmark. Params are named w1, b1, w2, b2.
 *
 * @example const { loss, params } = buildMlp(g, { batch: 64, inputs: 128, hidden: 256, classes: 20 });
 */
export function buildMlp(g: Graph, spec: MlpSpec): Mlp {
  const x = g.input('x', [spec.batch, spec.inputs]);
  const labels = g.input('labels', [spec.batch, spec.classes]);
  const w1 = g.param('w1', [spec.inputs, spec.hidden]);
  const b1 = g.param('b1', [spec.hidden]);
  const w2 = g.param('w2', [spec.hidden, spec.classes]);
  const b2 = g.param('b2', [spec.classes]);
  const h = g.relu(g.add(g.matmul(x, w1), b1));
  const logits = g.add(g.matmul(h, w2), b2);
  const loss = g.neg(g.mean(g.sum(g.mul(g.logSoftmax(logits), labels), [1]), [0]));
  return { x, labels, params: [w1, b1, w2, b2], logits, loss };
}

/**
 * Initial MLP weights (scaled uniform, zero biases), keyed by param name.
 *
 * @example const weights = initMlp(rng, spec); weights.w1.length === spec.inputs * spec.hidden
 */
export function initMlp(rng: SeededRandom, spec: MlpSpec): Record<string, Float32Array> {
  const uniform = (n: number, fanIn: number) => Float32Array.from({ length: n }, () => rng.range(-1, 1) * Math.sqrt(3 / fanIn));
  return {
    w1: uniform(spec.inputs * spec.hidden, spec.inputs),
    b1: new Float32Array(spec.hidden),
    w2: uniform(spec.hidden * spec.classes, spec.hidden),
    b2: new Float32Array(spec.classes),
  };
}

/**
 * A random batch: standard-normal features and one-hot labels.
 *
 * @example const { x, labels } = randomBatch(rng, spec)
 */
export function randomBatch(rng: SeededRandom, spec: MlpSpec): { x: Float32Array; labels: Float32Array } {
  const x = Float32Array.from({ length: spec.batch * spec.inputs }, () => rng.normal(0, 1));
  const labels = new Float32Array(spec.batch * spec.classes);
  for (let i = 0; i < spec.batch; i++) labels[i * spec.classes + rng.int(spec.classes)] = 1;
  return { x, labels };
}
