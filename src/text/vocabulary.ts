import { AppError } from '../core/errors.js';

/** Id of the padding token, reserved in every vocabulary. */
export const PAD_ID = 0;
/** Id of the unknown-token, reserved in every vocabulary: tokens not in the vocabulary encode to it. */
export const UNK_ID = 1;
/** The reserved tokens, at ids 0 and 1. */
export const PAD_TOKEN = '<pad>';
export const UNK_TOKEN = '<unk>';

export interface VocabularyOptions {
  /** Keep only tokens seen at least this often (default 1). */
  minCount?: number;
  /** At most this many entries, the two reserved ones included (default: no limit). */
  maxSize?: number;
}

/** The JSON form written by `save` and read by `load`. */
export interface VocabularyJson {
  format: 'shopwise-vocabulary';
  version: 1;
  /** Every token by id, the reserved ones first. */
  tokens: string[];
}

/**
 * A token ↔ id map for neural text models: id 0 is padding (`PAD_ID`), id 1 the unknown token
 * (`UNK_ID`), then the kept tokens by decreasing count (ties in code-point order, so a build is
 * deterministic). `encode` gives fixed-length id arrays, padded with 0 or truncated.
 *
 * @example
 * const vocab = Vocabulary.fromTexts([['play', 'jazz'], ['play', 'rock']], { minCount: 1 });
 * vocab.encode(['play', 'blues'], 4); // Int32Array [2, 1, 0, 0]: play, unknown, padding, padding
 * const copy = Vocabulary.load(vocab.save());
 */
export class Vocabulary {
  private readonly ids: Map<string, number>;

  private constructor(private readonly tokens: readonly string[]) {
    this.ids = new Map(tokens.map((t, i) => [t, i]));
  }

  /** Builds from token counts, keeping tokens with `count ≥ minCount`, the most frequent first, up to `maxSize` entries. */
  static fromCounts(counts: ReadonlyMap<string, number>, options: VocabularyOptions = {}): Vocabulary {
    const minCount = options.minCount ?? 1;
    const maxSize = options.maxSize ?? Infinity;
    if (!(minCount >= 1)) throw AppError.invalid(`minCount must be ≥ 1, got ${minCount}`, { field: 'minCount' });
    if (!(maxSize >= 2)) throw AppError.invalid(`maxSize must be ≥ 2 (padding and unknown are reserved), got ${maxSize}`, { field: 'maxSize' });
    const kept = [...counts].filter(([t, c]) => c >= minCount && t !== PAD_TOKEN && t !== UNK_TOKEN);
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return new Vocabulary([PAD_TOKEN, UNK_TOKEN, ...kept.slice(0, maxSize - 2).map(([t]) => t)]);
  }

  /** Counts the tokens of `texts` and builds from the counts. */
  static fromTexts(texts: Iterable<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
    return Vocabulary.fromCounts(countTokens(texts), options);
  }

  /** Reads the JSON written by `save`; throws `AppError('invalid')` when it is not a vocabulary. */
  static load(json: string): Vocabulary {
    let parsed: Partial<VocabularyJson>;
    try {
      parsed = JSON.parse(json) as Partial<VocabularyJson>;
    } catch (error) {
      throw AppError.invalid(`vocabulary is not JSON: ${(error as Error).message}`);
    }
    const tokens = parsed?.tokens;
    if (parsed?.format !== 'shopwise-vocabulary' || parsed.version !== 1 || !Array.isArray(tokens)) throw AppError.invalid('not a shopwise-vocabulary version 1 file');
    if (tokens[PAD_ID] !== PAD_TOKEN || tokens[UNK_ID] !== UNK_TOKEN) throw AppError.invalid(`vocabulary must start with ${PAD_TOKEN} and ${UNK_TOKEN}`, { field: 'tokens' });
    const seen = new Set<string>();
    tokens.forEach((t, i) => {
      if (typeof t !== 'string') throw AppError.invalid(`vocabulary token ${i} is not a string`, { field: 'tokens', index: i });
      if (seen.has(t)) throw AppError.invalid(`vocabulary token "${t}" appears twice`, { field: 'tokens', index: i });
      seen.add(t);
    });
    return new Vocabulary(tokens as string[]);
  }

  /** Number of ids, the reserved ones included (the embedding table's row count). */
  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, or `UNK_ID`. */
  id(token: string): number {
    return this.ids.get(token) ?? UNK_ID;
  }

  /** Whether `token` has its own id. */
  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The token of `id`. */
  token(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw AppError.invalid(`id ${id} outside a vocabulary of ${this.size}`, { field: 'id' });
    return t;
  }

  /** Ids of `tokens`, truncated or padded with `PAD_ID` to `length` (default: as many as tokens). */
  encode(tokens: readonly string[], length = tokens.length): Int32Array {
    if (!(Number.isInteger(length) && length >= 0)) throw AppError.invalid(`length must be a whole number ≥ 0, got ${length}`, { field: 'length' });
    const out = new Int32Array(length); // PAD_ID is 0
    for (let i = 0; i < Math.min(length, tokens.length); i++) out[i] = this.id(tokens[i]!);
    return out;
  }

  /** The JSON form, for `Vocabulary.load`. */
  save(): string {
    const json: VocabularyJson = { format: 'shopwise-vocabulary', version: 1, tokens: [...this.tokens] };
    return JSON.stringify(json);
  }
}

/**
 * How often each token occurs in `texts`.
 *
 * @example countTokens([['a', 'b'], ['a']]); // Map { 'a' => 2, 'b' => 1 }
 */
export function countTokens(texts: Iterable<readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) for (const t of text) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
