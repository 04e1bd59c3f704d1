import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { sizeOf, type Shape } from '../shape.js';

/** Fills a new tensor of `shape`; every draw comes from the given seeded generator. */
export type Initializer = (shape: Shape, rng: SeededRandom) => Float32Array;

/**
 * Fan-in and fan-out of a weight shape: [in, out] for a dense kernel, the product of the leading axes
 * as fan-in for higher ranks (an im2col conv kernel [w·E, F] is already 2-D), size for vectors.
 *
 * @example fans([384, 20]) // { fanIn: 384, fanOut: 20 }
 */
export function fans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const fanOut = shape[shape.length - 1]!;
  return { fanIn: sizeOf(shape) / fanOut, fanOut };
}

/**
 * Glorot / Xavier uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)); for tanh / sigmoid / linear layers.
 *
 * @example store.ensure('dense/w', [128, 20], xavierUniform(), rng)
 */
export function xavierUniform(gain = 1): Initializer {
  return (shape, rng) => {
    const { fanIn, fanOut } = fans(shape);
    const a = gain * Math.sqrt(6 / (fanIn + fanOut));
    return Float32Array.from({ length: sizeOf(shape) }, () => rng.range(-a, a));
  };
}

/**
 * He / Kaiming normal: N(0, 2 / fanIn); for layers followed by relu.
 *
 * @example store.ensure('conv3/w', [384, 128], heNormal(), rng)
 */
export function heNormal(): Initializer {
  return (shape, rng) => {
    const sd = Math.sqrt(2 / fans(shape).fanIn);
    return Float32Array.from({ length: sizeOf(shape) }, () => rng.normal(0, sd));
  };
}

/**
 * N(0, sd²) for every element (embedding tables use sd = 1/√dim or 0.1).
 *
 * @example normalInit(0.1)([20000, 128], rng)
 */
export function normalInit(sd: number): Initializer {
  if (!(sd >= 0)) throw AppError.invalid(`normal initialiser needs sd ≥ 0, got ${sd}`, { field: 'sd' });
  return (shape, rng) => Float32Array.from({ length: sizeOf(shape) }, () => rng.normal(0, sd));
}

/**
 * Every element equal to `value` (0 for biases, 1 for a LayerNorm gain).
 *
 * @example constantInit(1)([64], rng)
 */
export function constantInit(value: number): Initializer {
  return (shape) => new Float32Array(sizeOf(shape)).fill(value);
}

/** All zeros. @example zerosInit()([20], rng) */
export function zerosInit(): Initializer {
  return constantInit(0);
}
