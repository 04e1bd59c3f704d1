import { segmentWords } from '../../text/segment.js';
import { NUMBER_TOKEN } from '../../text/tokenize.js';

const HAN = /\p{Script=Han}/u;
const NUMBER = /^\p{N}+(?:[.:/,]\p{N}+)*$/u;

export interface TextFeatureOptions {
  /** At most this many features (default: all). Long reviews are cut here, keeping their start. */
  maxFeatures?: number;
}

/**
 * The token features the intent and sentiment classifiers read, for Chinese, English and mixed text:
 * the text goes through {@link segmentWords} (Han runs through jieba, the rest lower-cased words,
 * punctuation dropped); a Chinese word of several characters is followed by its characters, so the
 * model sees both `运动鞋` and `运` `动` `鞋` (a word jieba cuts differently still shares characters);
 * numbers become `<num>`. Already-tokenized corpora (SNIPS `seq.in`) are joined with spaces first and
 * take the same path. Rare English words back off to their suffix in the classifier's vocabulary
 * (see {@link backoffToken}).
 *
 * @example
 * textFeatures('我想买运动鞋');            // ['我', '想', '买', '运动鞋', '运', '动', '鞋']
 * textFeatures('Play Jazz at 8:30');      // ['play', 'jazz', 'at', '<num>']
 * textFeatures('Nike 跑鞋 under 300元');   // ['nike', '跑鞋', '跑', '鞋', 'under', '<num>', '元']
 */
export function textFeatures(text: string, options: TextFeatureOptions = {}): string[] {
  const out: string[] = [];
  const max = options.maxFeatures ?? Infinity;
  for (const word of segmentWords(text)) {
    if (out.length >= max) break;
    if (NUMBER.test(word)) {
      out.push(NUMBER_TOKEN);
      continue;
    }
    if (/^\s*$/u.test(word)) continue;
    out.push(word);
    if (HAN.test(word)) {
      const chars = [...word];
      if (chars.length > 1) for (const c of chars) out.push(c);
    }
  }
  return out.length > max ? out.slice(0, max) : out;
}

/**
 * The back-off feature of a word the vocabulary does not hold: its last three letters (`~ing`) for a
 * longer non-Chinese word, else none. The classifier counts these for rare training words, so an unseen
 * `streaming` still carries `~ing`.
 *
 * @example backoffToken('streaming') // '~ing'
 */
export function backoffToken(word: string): string | undefined {
  if (HAN.test(word) || word.startsWith('<')) return undefined;
  const chars = [...word];
  return chars.length >= 5 ? `~${chars.slice(-3).join('')}` : undefined;
}
