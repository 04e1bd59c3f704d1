/** Entries of a negative-sampling table (a power of two, so an index is a mask of a random word). */
export const NEGATIVE_TABLE = 1 << 16;

/**
 * Fills `table` with word ids in proportion to count^0.75 (word2vec's smoothed unigram distribution,
 * which draws rare words more often than their frequency), so a uniform index draws a negative sample.
 *
 * @example const table = unigramTable(new Float64Array([9, 1]), 2, new Int32Array(NEGATIVE_TABLE)); // ~84% zeros
 */
export function unigramTable(counts: Float64Array, words: number, table: Int32Array): Int32Array {
  let total = 0;
  for (let w = 0; w < words; w++) total += Math.pow(counts[w]!, 0.75);
  let w = 0;
  let cumulative = words > 0 ? Math.pow(counts[0]!, 0.75) / total : 1;
  for (let i = 0; i < table.length; i++) {
    table[i] = w;
    while ((i + 1) / table.length > cumulative && w < words - 1) cumulative += Math.pow(counts[++w]!, 0.75) / total;
  }
  return table;
}

/**
 * The logistic function, saturated beyond ±8 (where it is within 3e-4 of 0 or 1).
 *
 * @example sigmoid(0) // 0.5
 */
export function sigmoid(x: number): number {
  if (x > 8) return 1;
  if (x < -8) return 0;
  return 1 / (1 + Math.exp(-x));
}
