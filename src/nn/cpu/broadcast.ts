import { type Shape, sizeOf, stridesOf } from '../shape.js';

/**
 * For an output shape and an operand shape that broadcasts to it, the operand's element index for
 * every output element (strides of broadcast axes are 0).
 */
export function broadcastIndex(out: Shape, operand: Shape): Int32Array {
  const offset = out.length - operand.length;
  const opStrides = stridesOf(operand);
  return stridedOffsets(out, out.map((_, i) => (i < offset || operand[i - offset] === 1 ? 0 : opStrides[i - offset]!)));
}

/** The source offset of every element of `shape` walked in row-major order with the given strides. */
export function stridedOffsets(shape: Shape, strides: readonly number[]): Int32Array {
  const n = sizeOf(shape);
  const offsets = new Int32Array(n);
  const r = shape.length;
  const counter = new Array<number>(r).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = at;
    for (let axis = r - 1; axis >= 0; axis--) {
      counter[axis]!++;
      at += strides[axis]!;
      if (counter[axis]! < shape[axis]!) break;
      at -= strides[axis]! * shape[axis]!;
      counter[axis] = 0;
    }
  }
  return offsets;
}

/** Element-wise binary op with numpy broadcasting; a fast path when the shapes are equal. */
export function binary(a: Float32Array, as: Shape, b: Float32Array, bs: Shape, out: Shape, f: (x: number, y: number) => number): Float32Array {
  const n = sizeOf(out);
  const result = new Float32Array(n);
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) result[i] = f(a[i]!, b[i]!);
  } else if (b.length === 1 && a.length === n) {
    const y = b[0]!;
    for (let i = 0; i < n; i++) result[i] = f(a[i]!, y);
  } else if (a.length === 1 && b.length === n) {
    const x = a[0]!;
    for (let i = 0; i < n; i++) result[i] = f(x, b[i]!);
  } else {
    const ia = broadcastIndex(out, as);
    const ib = broadcastIndex(out, bs);
    for (let i = 0; i < n; i++) result[i] = f(a[ia[i]!]!, b[ib[i]!]!);
  }
  return result;
}
