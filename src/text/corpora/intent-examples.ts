import { AppError } from '../../core/errors.js';
import type { LabelledText } from '../../nn/train/text-cnn.js';
import { LabelSet } from '../label-set.js';
import { Vocabulary, type VocabularyOptions } from '../vocabulary.js';

/** Utterances and their intents, as `readSeqInOut` returns them (tags are not needed here). */
export interface IntentCorpus {
  tokens: readonly (readonly string[])[];
  intents: readonly string[];
}

export interface IntentEncodingOptions extends VocabularyOptions {
  /**
   * The fixed sequence length: this percentile (0–100] of the training utterance lengths, rounded up
   * (default 99.5: the rare longer utterances are truncated rather than making every batch longer).
   */
  lengthPercentile?: number;
  /** At least this length (default 5, the widest usual conv kernel). */
  minLength?: number;
}

/**
 * What an intent classifier is trained with, all read from the training split: the vocabulary, the
 * intent inventory, the fixed sequence length, and an `encode` that turns any split into
 * `LabelledText` (ids padded/truncated to `length`; an intent not seen in training gets label -1, so
 * it always counts as an error).
 *
 * @example
 * const data = IntentEncoding.fromTraining(train, { minCount: 2 });
 * const examples = data.encode(train);            // LabelledText[] for TextCnn.fit
 * new TextCnn({ vocab: data.vocabulary.size, length: data.length, classes: data.intents.size, … }, rng);
 */
export class IntentEncoding {
  constructor(
    readonly vocabulary: Vocabulary,
    readonly intents: LabelSet,
    readonly length: number,
  ) {}

  static fromTraining(train: IntentCorpus, options: IntentEncodingOptions = {}): IntentEncoding {
    if (train.tokens.length === 0) throw AppError.invalid('the training split has no utterances');
    const vocabulary = Vocabulary.fromTexts(train.tokens, options);
    const intents = LabelSet.fromLabels(train.intents);
    const length = Math.max(options.minLength ?? 5, lengthPercentile(train.tokens, options.lengthPercentile ?? 99.5));
    return new IntentEncoding(vocabulary, intents, length);
  }

  encode(corpus: IntentCorpus): LabelledText[] {
    if (corpus.tokens.length !== corpus.intents.length) throw AppError.invalid(`${corpus.tokens.length} utterances but ${corpus.intents.length} intents`);
    return corpus.tokens.map((tokens, i) => ({ ids: this.vocabulary.encode(tokens, this.length), label: this.intents.index(corpus.intents[i]!) }));
  }
}

/**
 * The `p`-th percentile (0 < p ≤ 100, nearest rank) of the token counts of `texts`.
 *
 * @example lengthPercentile([['a'], ['a', 'b'], ['a', 'b', 'c']], 50); // 2
 */
export function lengthPercentile(texts: readonly (readonly string[])[], p: number): number {
  if (!(p > 0 && p <= 100)) throw AppError.invalid(`percentile must be in (0, 100], got ${p}`, { field: 'lengthPercentile' });
  if (texts.length === 0) throw AppError.invalid('no texts to measure');
  const lengths = texts.map((t) => t.length).sort((a, b) => a - b);
  return lengths[Math.ceil((p / 100) * lengths.length) - 1]!;
}
