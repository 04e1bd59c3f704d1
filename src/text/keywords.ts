import { AppError } from '../core/errors.js';
import { segmentWords, STOPWORDS } from './segment.js';

/**
 * Words that say nothing about what a shopper wants, on top of {@link STOPWORDS}: fillers of English
 * searches and reviews, and Chinese particles and adverbs jieba emits as words of their own. Words
 * common in one shop but not in general (e.g. "guitar" in a guitar shop) are not listed: the shop's
 * document frequencies push them down instead.
 */
export const KEYWORD_STOPWORDS: ReadonlySet<string> = new Set([
  ...STOPWORDS,
  'about', 'after', 'all', 'also', 'am', 'any', 'been', 'can', 'could', 'did', 'do', 'does', 'don’t', "don't", 'just', 'more', 'most', 'much', 'no',
  'not', 'now', 'only', 'other', 'out', 'over', 'some', 'such', 'than', 'too', 'up', 'us', 'very', 'would', 'how', 'why', 'where', 'here',
  '很', '有', '不', '没有', '还', '又', '个', '把', '被', '让', '给', '对', '从', '要', '会', '能', '说', '就是', '还是', '但是', '因为', '所以',
  '可以', '这个', '那个', '什么', '怎么', '非常', '比较', '有点', '一下', '一点', '已经', '感觉', '觉得', '真的', '真', '太', '挺', '再', '才', '更',
  '好', '最', '得', '地', '过', '上', '下', '中', '里', '等', '呀', '哦', '嗯', '哈', '啦',
]);

export interface KeywordTermOptions {
  /** Words to leave out (default {@link KEYWORD_STOPWORDS}). */
  stopwords?: ReadonlySet<string>;
  /** Shortest non-Chinese word kept, in characters (default 2; a single Chinese character is a word). */
  minLength?: number;
  /** Longest word kept, in characters (default 40: longer runs are ids, URLs or noise). */
  maxLength?: number;
}

const LETTER = /\p{L}/u;
const HAN = /\p{Script=Han}/u;

/**
 * Whether a segmented word can be a keyword: it has a letter (numbers, prices, sizes and symbols are
 * out; "256gb" stays), and it is not a lone Latin letter.
 *
 * @example isKeywordTerm('42') // false; isKeywordTerm('鞋') // true; isKeywordTerm('x') // false
 */
export function isKeywordTerm(word: string, options: Pick<KeywordTermOptions, 'minLength' | 'maxLength'> = {}): boolean {
  if (!LETTER.test(word)) return false;
  const length = word.length < 8 ? [...word].length : word.length;
  if (length > (options.maxLength ?? 40)) return false;
  return HAN.test(word) || length >= (options.minLength ?? 2);
}

/**
 * The keyword candidates of a text in text order: Chinese through jieba, the rest through the
 * tokenizer (segment.ts), lower-cased, stopwords and numbers out.
 *
 * @example keywordTerms('Sony 降噪无线耳机 WH-1000XM5, 2 colours'); // ['sony', '降噪', '无线耳机', 'wh-1000xm5', 'colours']
 */
export function keywordTerms(text: string, options: KeywordTermOptions = {}): string[] {
  const words = segmentWords(text, { stopwords: options.stopwords ?? KEYWORD_STOPWORDS });
  return words.filter((w) => isKeywordTerm(w, options));
}

/** One keyword of a bag, with its weight in the bag and its score against the background. */
export interface Keyword {
  term: string;
  /** The term's weight in the bag (its count, or a decayed count). */
  count: number;
  score: number;
}

export interface KeywordIndexOptions {
  /** BM25 term-frequency saturation (default 1.2): a term counted k1 times earns half its maximum. */
  k1?: number;
  /** Distinct terms kept (default 500 000); past it the rarest are forgotten (see `prune`). */
  maxTerms?: number;
}

export interface TopKeywordOptions {
  /** How many keywords (default 10). */
  limit?: number;
  /** Leave out terms weighing less than this in the bag (default 1: a high-frequency keyword appears at least once). */
  minCount?: number;
}

/**
 * Document frequencies of a background corpus (a shop's searches, reviews and item texts), counted
 * incrementally, and the top keywords of any bag of terms against it — a user's, an item's, a
 * segment's — scored BM25-style: idf(t) · tf·(k1+1)/(tf+k1), with idf(t) = ln(1 + (N − df + ½)/(df + ½)).
 *
 * A bag is not length-normalised (BM25's b = 0): a user's bag spans many documents, and normalising
 * by its length would only push down the keywords of active users. A term the background never saw
 * gets the highest idf: new words stand out at once.
 *
 * Memory is bounded: past `maxTerms` distinct terms, the terms seen in the fewest documents are
 * forgotten (lossy counting). A forgotten term counts as rarer than it was, which only overstates the
 * idf of terms that were rare anyway.
 *
 * @example
 * const index = new KeywordIndex();
 * for (const q of ['red dress', 'blue dress', 'dress shoes', 'guitar strings']) index.addText(q);
 * index.topKeywords(new Map([['dress', 3], ['guitar', 1]]), { limit: 1 })[0]!.term; // 'guitar': rarer in the shop, though counted less
 */
export class KeywordIndex {
  private readonly df = new Map<string, number>();
  private docs = 0;
  /** Terms with at most this many documents have been forgotten at least once. */
  private forgottenBelow = 0;
  private readonly k1: number;
  private readonly maxTerms: number;

  constructor(options: KeywordIndexOptions = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.maxTerms = options.maxTerms ?? 500_000;
    if (!(this.k1 > 0)) throw AppError.invalid(`KeywordIndex k1 must be > 0, got ${this.k1}`, { field: 'k1' });
    if (!(Number.isInteger(this.maxTerms) && this.maxTerms >= 10)) throw AppError.invalid(`KeywordIndex maxTerms must be an integer ≥ 10, got ${this.maxTerms}`, { field: 'maxTerms' });
  }

  /** Documents counted. */
  get documents(): number {
    return this.docs;
  }

  /** Distinct terms known. */
  get terms(): number {
    return this.df.size;
  }

  /** Counts one document given as terms (repeats within it count once). */
  addDocument(terms: readonly string[]): void {
    if (terms.length === 0) return;
    this.docs++;
    const seen = terms.length > 1 ? new Set(terms) : terms;
    for (const t of seen) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    if (this.df.size > this.maxTerms) this.prune();
  }

  /** Segments `text` ({@link keywordTerms}), counts it as a document and returns its terms. */
  addText(text: string, options?: KeywordTermOptions): string[] {
    const terms = keywordTerms(text, options);
    this.addDocument(terms);
    return terms;
  }

  /** Documents containing `term`. */
  documentFrequency(term: string): number {
    return this.df.get(term) ?? 0;
  }

  /** Inverse document frequency (BM25's, always > 0). */
  idf(term: string): number {
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  /** The score of a term weighing `count` in a bag. */
  score(term: string, count: number): number {
    return count > 0 ? (this.idf(term) * count * (this.k1 + 1)) / (count + this.k1) : 0;
  }

  /**
   * The best keywords of a bag (term → weight, or a list of terms counted here), best first; ties by
   * term so the order is stable.
   *
   * @example index.topKeywords(['耳机', '耳机', '降噪', 'the'], { limit: 2 })
   */
  topKeywords(bag: ReadonlyMap<string, number> | readonly string[], options: TopKeywordOptions = {}): Keyword[] {
    const limit = options.limit ?? 10;
    const minCount = options.minCount ?? 1;
    const counts = Array.isArray(bag) ? countTerms(bag as readonly string[]) : (bag as ReadonlyMap<string, number>);
    const out: Keyword[] = [];
    for (const [term, count] of counts) {
      if (count >= minCount) out.push({ term, count, score: this.score(term, count) });
    }
    out.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    return out.slice(0, limit);
  }

  /** Forgets the terms in the fewest documents until 90% of `maxTerms` remain. */
  private prune(): void {
    const target = Math.floor(this.maxTerms * 0.9);
    let floor = Math.max(1, this.forgottenBelow);
    while (this.df.size > target) {
      for (const [t, n] of this.df) if (n <= floor) this.df.delete(t);
      this.forgottenBelow = floor;
      floor++;
    }
  }
}

function countTerms(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
