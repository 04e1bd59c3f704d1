import type { Bags } from '../../nn/layers/bag-table.js';
import type { Vocabulary } from '../../text/vocabulary.js';
import { featureBucket, tokenFeatures } from './slot-features.js';

/** A token sequence as the slot tagger reads it: word ids and, per token, a bag of hashed feature ids. */
export interface Encoded {
  words: Int32Array;
  bags: Bags;
}

/** Tokens → word ids and hashed feature bags. */
export class SlotEncoder {
  constructor(
    private readonly vocabulary: Vocabulary,
    private readonly buckets: number,
  ) {}

  encode(tokens: readonly string[]): Encoded {
    const features = tokenFeatures(tokens);
    const offsets = new Int32Array(tokens.length + 1);
    const ids: number[] = [];
    features.forEach((f, i) => {
      for (const name of f) ids.push(featureBucket(name, this.buckets));
      offsets[i + 1] = ids.length;
    });
    return { words: Int32Array.from(tokens, (t) => this.vocabulary.id(t)), bags: { offsets, ids: Int32Array.from(ids) } };
  }
}

/**
 * B encoded sequences as one padded batch of `length` positions each (cut at `length`); `mapWord`
 * may replace word ids (the unknown-word dropout of training).
 */
export function packBatch(batch: readonly (Encoded & { tags?: Int32Array })[], length: number, mapWord: (id: number) => number = (id) => id) {
  const n = batch.length * length;
  const words = new Int32Array(n);
  const tags = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (const e of batch) total += e.bags.offsets[Math.min(length, e.words.length)]!;
  const ids = new Int32Array(total);
  let at = 0;
  batch.forEach((e, s) => {
    const real = Math.min(length, e.words.length);
    for (let t = 0; t < length; t++) {
      const p = s * length + t;
      if (t < real) {
        words[p] = mapWord(e.words[t]!);
        if (e.tags) tags[p] = e.tags[t]!;
        const from = e.bags.offsets[t]!, to = e.bags.offsets[t + 1]!;
        ids.set(e.bags.ids.subarray(from, to), at);
        at += to - from;
      }
      offsets[p + 1] = at;
    }
  });
  return { words, tags, features: { offsets, ids } };
}

/** Indices of the sequences by the shortest bucket length that holds them (the last bucket takes the longer ones, cut). */
export function groupByBucket(encoded: readonly Encoded[], buckets: readonly number[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  encoded.forEach((e, i) => {
    const bucket = buckets.find((n) => e.words.length <= n) ?? buckets[buckets.length - 1]!;
    let group = groups.get(bucket);
    if (!group) groups.set(bucket, (group = []));
    group.push(i);
  });
  return groups;
}

/** Tokens `start`…`end` of a sequence, its feature offsets made relative again. */
export function sliceEncoded(e: Encoded, start: number, end: number): Encoded {
  const from = e.bags.offsets[start]!;
  return {
    words: e.words.subarray(start, end),
    bags: { offsets: e.bags.offsets.slice(start, end + 1).map((o) => o - from), ids: e.bags.ids.subarray(from, e.bags.offsets[end]!) },
  };
}
