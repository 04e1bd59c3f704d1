import { matmul as blockedMatmul } from '../../math/matmul.js';
import { type Shape, sizeOf, stridesOf } from '../shape.js';
import { broadcastIndex, stridedOffsets } from './broadcast.js';

/** Batched matrix product over the last two axes with broadcast batch axes, on math/'s blocked kernel. */
export function matmul(a: Float32Array, as: Shape, b: Float32Array, bs: Shape, out: Shape): Float32Array {
  const m = as[as.length - 2]!, k = as[as.length - 1]!, n = bs[bs.length - 1]!;
  const batchShape = out.slice(0, -2);
  const batches = sizeOf(batchShape);
  const aBatch = broadcastIndex(batchShape, as.slice(0, -2));
  const bBatch = broadcastIndex(batchShape, bs.slice(0, -2));
  const c = new Float32Array(batches * m * n);
  for (let t = 0; t < batches; t++) {
    blockedMatmul(a, b, c, m, k, n, { aOffset: aBatch[t]! * m * k, bOffset: bBatch[t]! * k * n, cOffset: t * m * n });
  }
  return c;
}

export function transpose(a: Float32Array, shape: Shape, perm: number[]): Float32Array {
  const inStrides = stridesOf(shape);
  const offsets = stridedOffsets(perm.map((p) => shape[p]!), perm.map((p) => inStrides[p]!));
  return Float32Array.from(offsets, (at) => a[at]!);
}

/** Reduction over `axes` (kept as size 1 in the index arithmetic) with `init` and a fold. */
export function reduce(a: Float32Array, shape: Shape, axes: number[], init: number, fold: (acc: number, x: number) => number): Float32Array {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Float32Array(sizeOf(kept)).fill(init);
  const index = broadcastIndex(shape, kept);
  for (let i = 0; i < a.length; i++) out[index[i]!] = fold(out[index[i]!]!, a[i]!);
  return out;
}

/** Softmax or log-softmax along one axis, numerically stable. */
export function softmax(a: Float32Array, shape: Shape, axis: number, log: boolean): Float32Array {
  const out = new Float32Array(a.length);
  const size = shape[axis]!;
  const stride = stridesOf(shape)[axis]!;
  const outer = a.length / (size * stride);
  for (let o = 0; o < outer; o++) {
    for (let s = 0; s < stride; s++) {
      const base = o * size * stride + s;
      let max = -Infinity;
      for (let i = 0; i < size; i++) max = Math.max(max, a[base + i * stride]!);
      let total = 0;
      for (let i = 0; i < size; i++) total += Math.exp(a[base + i * stride]! - max);
      const logTotal = Math.log(total);
      for (let i = 0; i < size; i++) {
        const z = a[base + i * stride]! - max;
        out[base + i * stride] = log ? z - logTotal : Math.exp(z - logTotal);
      }
    }
  }
  return out;
}

export function concat(parts: Float32Array[], shapes: Shape[], axis: number): Float32Array {
  const outer = sizeOf(shapes[0]!.slice(0, axis));
  const chunks = shapes.map((s) => sizeOf(s.slice(axis)));
  const total = chunks.reduce((x, y) => x + y, 0);
  const out = new Float32Array(outer * total);
  for (let o = 0; o < outer; o++) {
    let at = o * total;
    parts.forEach((p, i) => {
      out.set(p.subarray(o * chunks[i]!, (o + 1) * chunks[i]!), at);
      at += chunks[i]!;
    });
  }
  return out;
}

export function slice(a: Float32Array, shape: Shape, axis: number, start: number, end: number): Float32Array {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const width = (end - start) * inner;
  const out = new Float32Array(outer * width);
  for (let o = 0; o < outer; o++) {
    const from = o * shape[axis]! * inner + start * inner;
    out.set(a.subarray(from, from + width), o * width);
  }
  return out;
}

export function pad(a: Float32Array, shape: Shape, pads: number[], out: Shape): Float32Array {
  const result = new Float32Array(sizeOf(out));
  const r = shape.length;
  const outStrides = stridesOf(out);
  const counter = new Array<number>(r).fill(0);
  for (let i = 0; i < a.length; i++) {
    let at = 0;
    for (let axis = 0; axis < r; axis++) at += (counter[axis]! + pads[axis]!) * outStrides[axis]!;
    result[at] = a[i]!;
    for (let axis = r - 1; axis >= 0; axis--) {
      counter[axis]!++;
      if (counter[axis]! < shape[axis]!) break;
      counter[axis] = 0;
    }
  }
  return result;
}
