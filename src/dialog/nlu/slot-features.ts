import { segmentWords } from '../../text/segment.js';
import { subwords } from '../../text/subwords.js';

const HAN_CHAR = /^\p{Script=Han}$/u;

/**
 * The sparse features of each token that the slot tagger hashes into its feature table (beside the
 * token's own embedding), so that a token never seen in training still gets a vector:
 *
 * - a token with no Chinese character: its character n-grams (3 to 5, fastText style, `<` and `>`
 *   marking the ends) and its shape (`Xx`, `0`, …: digits and capitals are visible even when unseen);
 * - a single Chinese character (CAIS style, one character a token): the character bigrams it forms
 *   with its neighbours, and the jieba word of its run of Chinese characters that it belongs to, alone
 *   and with its place in that word (B, M, E or S), since words carry what single characters do not;
 * - a longer Chinese token (already segmented text): its characters and character bigrams.
 *
 * @example
 * tokenFeatures(['play', 'westbam']) // [['g:<pl', …, 's:x'], ['g:<we', …]]
 * tokenFeatures([...'播放周杰伦的歌']) // 周: ['b<:放周', 'b>:周杰', 'w:周杰伦', 'wp:B:周杰伦', …]
 */
export function tokenFeatures(tokens: readonly string[]): string[][] {
  const out = tokens.map(() => [] as string[]);
  const han = tokens.map((t) => HAN_CHAR.test(t));
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const features = out[i]!;
    if (han[i]) {
      features.push(`b<:${i > 0 ? tokens[i - 1] : '<s>'}${token}`, `b>:${token}${i + 1 < tokens.length ? tokens[i + 1] : '</s>'}`);
      continue;
    }
    for (const gram of subwords(token, 3, 5)) features.push(`g:${gram}`);
    features.push(`s:${shape(token)}`);
  }
  // Runs of single Chinese characters: jieba words over the run, mapped back to the characters.
  for (let start = 0; start < tokens.length; ) {
    if (!han[start]) {
      start++;
      continue;
    }
    let end = start;
    while (end < tokens.length && han[end]) end++;
    const run = tokens.slice(start, end).join('');
    const words = end - start > 1 ? segmentWords(run) : [run];
    if (words.join('') === run) {
      let at = start;
      for (const word of words) {
        const n = [...word].length;
        for (let k = 0; k < n; k++) {
          const place = n === 1 ? 'S' : k === 0 ? 'B' : k === n - 1 ? 'E' : 'M';
          out[at + k]!.push(`w:${word}`, `wp:${place}:${word}`, `p:${place}${Math.min(n, 4)}`);
        }
        at += n;
      }
    }
    start = end;
  }
  return out;
}

/**
 * Word shape: capitals → X, other letters → x, digits → 0, other characters kept; repeats collapsed.
 *
 * @example shape('iPhone15') // 'xXx0'
 */
export function shape(token: string): string {
  let out = '';
  for (const c of token) {
    const s = /\p{Lu}/u.test(c) ? 'X' : /\p{L}/u.test(c) ? 'x' : /\p{N}/u.test(c) ? '0' : c;
    if (!out.endsWith(s)) out += s;
  }
  return out;
}

/**
 * 32-bit FNV-1a of a string, modulo `buckets`: where a feature lives in the hashed table.
 *
 * @example featureBucket('g:<pl', 1 << 18) // a row in [0, 262144)
 */
export function featureBucket(feature: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    h ^= feature.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}
