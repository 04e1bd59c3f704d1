import { CsrMatrix, csrFromCoo } from '../../math/sparse.js';
import { segmentWords, STOPWORDS } from '../../text/segment.js';
import type { TrainingData } from '../training-data.js';

/** How the vocabulary of item texts is chosen. */
export interface TermOptions {
  /** A term must occur in at least this many items. */
  minDf: number;
  /** …and in at most this share of the items (words in nearly every item do not tell them apart). */
  maxDf: number;
  /** At most this many terms, the most frequent (by document frequency) first. */
  maxFeatures: number;
  /** Word n-grams up to this length become terms too ("electric guitar"). */
  wordNgrams: number;
}

/** The terms of the item texts and how often each item uses each. */
export interface ItemTerms {
  /** Kept terms; a term's index is its column. */
  terms: string[];
  /** Items that contain each term. */
  df: Int32Array;
  /** Items × terms occurrence counts (float32), columns ascending. */
  counts: CsrMatrix<Float32Array>;
}

/**
 * Segments every item's text (`data.itemText`, Chinese through jieba, stopwords left out), adds word
 * n-grams and keeps the terms that pass the document-frequency limits.
 *
 * @example const { terms, counts } = itemTerms(data, { minDf: 2, maxDf: 0.8, maxFeatures: 50_000, wordNgrams: 1 });
 */
export function itemTerms(data: TrainingData, options: TermOptions): ItemTerms {
  const ids = new Map<string, number>();
  const dfAll: number[] = [];
  const docs: Map<number, number>[] = [];
  for (let i = 0; i < data.numItems; i++) {
    const words = segmentWords(data.itemText(i), { stopwords: STOPWORDS });
    const bag = new Map<number, number>();
    for (let n = 1; n <= options.wordNgrams; n++) {
      for (let s = 0; s + n <= words.length; s++) {
        const term = n === 1 ? words[s]! : words.slice(s, s + n).join(' ');
        let id = ids.get(term);
        if (id === undefined) {
          id = ids.size;
          ids.set(term, id);
          dfAll.push(0);
        }
        const before = bag.get(id) ?? 0;
        if (before === 0) dfAll[id]!++;
        bag.set(id, before + 1);
      }
    }
    docs.push(bag);
  }
  const maxDocs = Math.max(1, Math.floor(options.maxDf * data.numItems));
  const all = [...ids.keys()];
  const kept = all
    .map((term, id) => ({ term, id, df: dfAll[id]! }))
    .filter((t) => t.df >= options.minDf && t.df <= maxDocs)
    // Most frequent first, ties by the term itself, so the vocabulary does not depend on map order.
    .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
    .slice(0, options.maxFeatures);
  const column = new Int32Array(all.length).fill(-1);
  kept.forEach((t, c) => (column[t.id] = c));
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  docs.forEach((bag, i) => {
    for (const [id, count] of bag) {
      const c = column[id]!;
      if (c < 0) continue;
      rows.push(i);
      cols.push(c);
      vals.push(count);
    }
  });
  const counts = csrFromCoo(data.numItems, kept.length, rows, cols, vals, 'float32') as CsrMatrix<Float32Array>;
  return { terms: kept.map((t) => t.term), df: Int32Array.from(kept, (t) => t.df), counts };
}

/**
 * TF-IDF rows: sublinear term frequency (1 + ln tf) times smoothed idf (ln((1 + N) / (1 + df)) + 1),
 * each row scaled to unit length, so a dot product of two rows is their cosine.
 *
 * @example const x = tfidfRows(terms, data.numItems); // x.rowValues(i) has unit norm
 */
export function tfidfRows(terms: ItemTerms, numDocs: number): CsrMatrix<Float32Array> {
  const { counts, df } = terms;
  const values = new Float32Array(counts.nnz);
  for (let i = 0; i < counts.rows; i++) {
    const start = counts.indptr[i]!;
    const end = counts.indptr[i + 1]!;
    let norm = 0;
    for (let e = start; e < end; e++) {
      const w = (1 + Math.log(counts.values[e]!)) * (Math.log((1 + numDocs) / (1 + df[counts.indices[e]!]!)) + 1);
      values[e] = w;
      norm += w * w;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let e = start; e < end; e++) values[e]! *= inv;
  }
  return new CsrMatrix(counts.rows, counts.cols, counts.indptr, counts.indices, values);
}
