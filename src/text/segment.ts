import { createRequire } from 'node:module';
import { AppError } from '../core/errors.js';
import { tokenize } from './tokenize.js';

/** The part of @node-rs/jieba we use. */
interface JiebaCutter {
  cut(sentence: string, hmm?: boolean): string[];
}

// Loaded on first use: reading jieba's dictionary takes a moment and several MB, and most callers
// (English-only shops, tests of other modules) never meet a Chinese character.
let jieba: JiebaCutter | undefined;

function loadJieba(): JiebaCutter {
  if (jieba) return jieba;
  try {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): JiebaCutter } };
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
    return jieba;
  } catch (cause) {
    throw new AppError('unavailable', 'Chinese word segmentation needs the npm package @node-rs/jieba, which did not load', { field: 'jieba' }, { cause });
  }
}

/** Runs of Han characters (Chinese words have no spaces between them, so jieba finds the words). */
const HAN_RUN = /\p{Script=Han}+/gu;

/**
 * Common function words of English and Chinese that say nothing about a product. Pass them as
 * `stopwords` when the words feed a bag-of-words model.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'from', 'had', 'has', 'have', 'he', 'her', 'his', 'i', 'if', 'in',
  'into', 'is', 'it', 'its', "it's", 'me', 'my', 'of', 'on', 'or', 'our', 'she', 'so', 'that', 'the', 'their', 'them', 'then',
  'there', 'these', 'they', 'this', 'to', 'was', 'we', 'were', 'what', 'when', 'which', 'who', 'will', 'with', 'you', 'your',
  '的', '了', '和', '是', '在', '也', '就', '都', '而', '及', '与', '着', '或', '一个', '我', '你', '他', '她', '它', '我们', '这', '那', '吗', '呢', '吧', '啊',
]);

export interface SegmentOptions {
  /** Words to leave out (compared after lower-casing), e.g. {@link STOPWORDS}. */
  stopwords?: ReadonlySet<string>;
}

/**
 * Splits mixed Chinese and English text into lower-cased words: runs of Han characters go through
 * jieba (loaded once, on first use; its HMM finds words missing from the dictionary), everything else
 * through {@link tokenize} (letters and digits, joiners kept inside words, punctuation dropped). The
 * words come back in text order.
 *
 * @example
 * segmentWords('Nike 男士运动鞋, size 42'); // ['nike', '男士', '运动鞋', 'size', '42']
 * segmentWords('the best guitar', { stopwords: STOPWORDS }); // ['best', 'guitar']
 */
export function segmentWords(text: string, options: SegmentOptions = {}): string[] {
  const words: string[] = [];
  const push = (word: string): void => {
    if (!options.stopwords?.has(word)) words.push(word);
  };
  let last = 0;
  for (const match of text.matchAll(HAN_RUN)) {
    const start = match.index;
    if (start > last) for (const w of tokenize(text.slice(last, start))) push(w);
    for (const w of loadJieba().cut(match[0], true)) push(w);
    last = start + match[0].length;
  }
  if (last < text.length) for (const w of tokenize(last === 0 ? text : text.slice(last))) push(w);
  return words;
}
