/**
 * The character n-grams fastText builds a word's vector from, hashed into a fixed number of buckets.
 *
 * - A word without Chinese characters: every n-gram of `<word>` with n from `minN` to `maxN` code
 *   points (the angle brackets mark the start and end, so "<ea" differs from "ea" inside a word).
 * - A word with Chinese characters (jieba's words are short and built from meaningful characters):
 *   each character and each pair of adjacent characters — "无线耳机" → 无 线 耳 机 无线 线耳 耳机 —
 *   so "蓝牙耳机" shares 耳, 机 and 耳机 with it.
 *
 * Buckets are FNV-1a hashes of the n-gram's UTF-16 code units modulo `buckets`.
 *
 * @example subwordBuckets('earbud', 3, 6, 1 << 16).length // 18 n-grams of "<earbud>"
 */
export function subwordBuckets(word: string, minN: number, maxN: number, buckets: number): Int32Array {
  const grams = subwords(word, minN, maxN);
  const out = new Int32Array(grams.length);
  for (let i = 0; i < grams.length; i++) out[i] = fnv1a(grams[i]!) % buckets;
  return out;
}

const HAN = /\p{Script=Han}/u;

/**
 * The n-grams themselves (see {@link subwordBuckets}).
 *
 * @example subwords('耳机', 3, 6) // ['耳', '机', '耳机']
 */
export function subwords(word: string, minN: number, maxN: number): string[] {
  const chars = [...word];
  const out: string[] = [];
  if (HAN.test(word)) {
    for (const c of chars) out.push(c);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    return out;
  }
  const marked = ['<', ...chars, '>'];
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= marked.length; i++) out.push(marked.slice(i, i + n).join(''));
  }
  return out;
}

/** 32-bit FNV-1a, unsigned. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
