import { AppError } from '../../core/errors.js';
import { countTokens, UNK_ID, Vocabulary } from '../../text/vocabulary.js';
import { backoffToken } from './featurize.js';

/**
 * Feature → id for the classifiers: the features seen at least `minCount` times in training, plus
 * back-off features (`~ing`, see `backoffToken`) counted over the rare training features, so a word
 * unseen at training time maps to its suffix when that suffix was learned, else to the unknown id.
 *
 * @example
 * const v = FeatureVocabulary.fromTraining([['play', 'streaming'], ['play', 'jazz']], 1);
 * v.encode(['play', 'dreaming']); // [id of play, id of ~ing]
 */
export class FeatureVocabulary {
  constructor(readonly vocabulary: Vocabulary) {}

  static fromTraining(texts: readonly (readonly string[])[], minCount: number): FeatureVocabulary {
    if (texts.length === 0) throw AppError.invalid('no training texts to build a vocabulary from');
    const counts = countTokens(texts);
    const withBackoff = new Map(counts);
    for (const [token, count] of counts) {
      if (count >= minCount) continue;
      const back = backoffToken(token);
      if (back) withBackoff.set(back, (withBackoff.get(back) ?? 0) + count);
    }
    return new FeatureVocabulary(Vocabulary.fromCounts(withBackoff, { minCount }));
  }

  get size(): number {
    return this.vocabulary.size;
  }

  /** Ids of the features (not padded; models pad or cut to their length). */
  encode(features: readonly string[]): Int32Array {
    const out = new Int32Array(features.length);
    features.forEach((f, i) => {
      let id = this.vocabulary.id(f);
      if (id === UNK_ID) {
        const back = backoffToken(f);
        if (back) id = this.vocabulary.id(back);
      }
      out[i] = id;
    });
    return out;
  }
}
