import { AppError } from '../core/errors.js';

/**
 * The class inventory of a classification task, read from the data (e.g. the intents of a corpus's
 * training split): distinct names in code-point order, so the same data always gives the same ids.
 * `index` of a name not in the set is -1 (e.g. an intent that only occurs in a validation split: it is
 * then never predicted correctly, which is what accuracy should say).
 *
 * @example
 * const intents = LabelSet.fromLabels(['PlayMusic', 'GetWeather', 'PlayMusic']);
 * intents.names;                 // ['GetWeather', 'PlayMusic']
 * intents.index('PlayMusic');    // 1
 * LabelSet.load(intents.save()).size; // 2
 */
export class LabelSet {
  private readonly ids: Map<string, number>;

  private constructor(readonly names: readonly string[]) {
    this.ids = new Map(names.map((n, i) => [n, i]));
  }

  /** The distinct labels of `labels`, sorted. */
  static fromLabels(labels: Iterable<string>): LabelSet {
    const distinct = [...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (distinct.length === 0) throw AppError.invalid('a label set needs at least one label');
    return new LabelSet(distinct);
  }

  /** Reads the JSON written by `save` (an array of distinct strings). */
  static load(json: string): LabelSet {
    let names: unknown;
    try {
      names = JSON.parse(json);
    } catch (error) {
      throw AppError.invalid(`label set is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) throw AppError.invalid('a label set is a non-empty JSON array of strings');
    if (new Set(names).size !== names.length) throw AppError.invalid('a label set holds each label once');
    return new LabelSet(names as string[]);
  }

  get size(): number {
    return this.names.length;
  }

  /** The id of `name`, or -1 when it is not in the set. */
  index(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  /** The name of class `id`. */
  name(id: number): string {
    const n = this.names[id];
    if (n === undefined) throw AppError.invalid(`class ${id} outside ${this.size} labels`, { field: 'id' });
    return n;
  }

  /** JSON: the names in id order. */
  save(): string {
    return JSON.stringify(this.names);
  }
}
