/**
 * A small tokenizer for English and other space-separated languages (Chinese goes through jieba,
 * separately). Two modes:
 *
 * - `'words'` (the default, for free text typed by users): splits on whitespace and punctuation. A
 *   token is a run of letters, digits and combining marks; the joiners `-` `'` `’` `&` `.` `:` `/` `_`
 *   stay inside a token when a letter or digit follows them on both sides (`top-rated`, `i'm`, `r&b`,
 *   `8:30`, `2.5`), so corpus tokens survive; other punctuation is dropped (or kept one character a
 *   token with `punctuation: 'keep'`).
 * - `'whitespace'` (for corpora that are already tokenized, such as SNIPS / ATIS `seq.in`): splits on
 *   runs of whitespace only, so lower-casing and splitting reproduces the corpus tokens exactly.
 *
 * Both modes lower-case (unless `lowercase: false`) and can fold numbers into one class token.
 */
export interface TokenizeOptions {
  /** `'words'` (default): whitespace and punctuation; `'whitespace'`: whitespace only. */
  mode?: 'words' | 'whitespace';
  /** Lower-case the text first (default true). */
  lowercase?: boolean;
  /**
   * `'keep'` (default): numbers are tokens like any other. `'class'`: a token made only of digits and
   * the joiners between them (`42`, `8:30`, `2.5`, `1/2`) becomes `NUMBER_TOKEN`; mixed tokens
   * (`90s`, `8pm`) are kept.
   */
  numbers?: 'keep' | 'class';
  /** In `'words'` mode: `'drop'` (default) or `'keep'` punctuation and symbols, one character a token. */
  punctuation?: 'drop' | 'keep';
}

/** The class token that numbers become with `numbers: 'class'`. */
export const NUMBER_TOKEN = '<num>';

const WORD = String.raw`[\p{L}\p{N}\p{M}]+(?:[-'’&.:/_][\p{L}\p{N}\p{M}]+)*`;
const WORDS = new RegExp(WORD, 'gu');
const WORDS_AND_PUNCTUATION = new RegExp(`${WORD}|[^\\s\\p{L}\\p{N}\\p{M}]`, 'gu');
const NUMBER = /^\p{N}+(?:[.:/,]\p{N}+)*$/u;

/**
 * Splits `text` into tokens.
 *
 * @example
 * tokenize('Book a table for 2 at 8:30, please!');        // ['book', 'a', 'table', 'for', '2', 'at', '8:30', 'please']
 * tokenize('Play R&B top-rated songs', { numbers: 'class' }); // ['play', 'r&b', 'top-rated', 'songs']
 * tokenize('rate this  book 4 ', { mode: 'whitespace' });  // ['rate', 'this', 'book', '4']
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const source = options.lowercase === false ? text : text.toLowerCase();
  let tokens: string[];
  if (options.mode === 'whitespace') tokens = source.split(/\s+/u).filter((t) => t.length > 0);
  else tokens = source.match(options.punctuation === 'keep' ? WORDS_AND_PUNCTUATION : WORDS) ?? [];
  if (options.numbers === 'class') return tokens.map((t) => (NUMBER.test(t) ? NUMBER_TOKEN : t));
  return tokens;
}
