import { type Shape, sizeOf, stridesOf } from '../shape.js';

/**
 * For an output shape and an operand shape that broadcasts to it, the operand's element index for
 * every output element (strides of broadcast axes are 0).
 */
export function broadcastIndex(out: Shape, operand: Shape): Int32Array {
  const n = sizeOf(out);
  const index = new Int32Array(n);
  const r = out.length;
  const offset = r - operand.length;
  const opStrides = stridesOf(operand);
  const strides = out.map((d, i) => (i < offset || operand[i - offset] === 1 ? 0 : opStrides[i - offset]!));
  const counter = new Array<number>(r).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    index[i] = at;
    for (let axis = r - 1; axis >= 0; axis--) {
      counter[axis]!++;
      at += strides[axis]!;
      if (counter[axis]! < out[axis]!) break;
      at -= strides[axis]! * out[axis]!;
      counter[axis] = 0;
    }
  }
  return index;
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
