import type { EntitySpan, Slot, TrainingExample } from '../nlu.js';
import { GAZETTEER_TYPES } from './gazetteer.js';
import type { ModelSlotSource } from './nlu-pipeline.js';
import type { SlotTagger, TaggedUtterance } from './slot-tagger.js';
import { bioToSpans } from './spans.js';

/** One token of an utterance as the domain slot tagger reads it, with its character offsets in the text. */
export interface TextToken {
  token: string;
  start: number;
  end: number;
}

// A Chinese character alone (CAIS style: the tagger's features add the jieba word around it), a run of
// letters and digits of other scripts (an English word, `300`, `SW123456`), or one other visible character.
const TOKEN = /\p{Script=Han}|[^\s\p{Script=Han}\p{P}\p{S}]+|\S/gu;

/**
 * Splits an utterance into the tagger's tokens: each Chinese character, each run of letters and digits
 * (lower-cased, so the tagger does not depend on how the shopper types capitals), each other character.
 *
 * @example slotTokens('要 Nike 的300元以内').map((t) => t.token) // ['要', 'nike', '的', '300', '元', '以', '内']
 */
export function slotTokens(text: string): TextToken[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ token: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
}

/**
 * BIO-tagged token sequences of annotated utterances (the generated domain's character-offset entities):
 * every token an entity touches carries its type. An entity overlapping an earlier one is left out, so
 * the tags stay valid BIO; utterances without tokens are skipped.
 *
 * @example taggedUtterances([{ text: '要蓝色的', intent: 'refine', entities: [{ type: 'color', value: 'blue', start: 1, end: 3 }] }])
 * // [{ tokens: ['要', '蓝', '色', '的'], tags: ['O', 'B-color', 'I-color', 'O'], intent: 'refine' }]
 */
export function taggedUtterances(examples: readonly Pick<TrainingExample, 'text' | 'intent' | 'entities'>[]): TaggedUtterance[] {
  const out: TaggedUtterance[] = [];
  for (const example of examples) {
    const tokens = slotTokens(example.text);
    if (tokens.length === 0) continue;
    const tags = tokens.map(() => 'O');
    for (const entity of [...example.entities].sort((a, b) => a.start - b.start)) tagEntity(tokens, tags, entity);
    out.push({ tokens: tokens.map((t) => t.token), tags, intent: example.intent });
  }
  return out;
}

function tagEntity(tokens: readonly TextToken[], tags: string[], entity: Pick<EntitySpan, 'type' | 'start' | 'end'>): void {
  const inside: number[] = [];
  tokens.forEach((t, i) => {
    if (t.start < entity.end && entity.start < t.end) inside.push(i);
  });
  if (inside.length === 0 || inside.some((i) => tags[i] !== 'O')) return;
  inside.forEach((i, k) => {
    tags[i] = `${k === 0 ? 'B' : 'I'}-${entity.type}`;
  });
}

/**
 * A trained slot tagger as the pipeline's `ModelSlotSource`: tokens → BIO tags → character spans of
 * the catalog's slot types (GAZETTEER_TYPES by default). Prices, ordinals and order numbers are left
 * to the rules, which also compute their values (numbers, positions); the tagger learns them too,
 * which teaches it that "300元以内" is not a category. The tagger knows spans and types, not catalog
 * values: `value` is the span's text, which the pipeline maps to the catalog (`Gazetteer.resolve`).
 *
 * @example
 * const pipeline = new NluPipeline({ gazetteer, intent, emotion, slotModel: new TaggerSlotSource(tagger) });
 */
export class TaggerSlotSource implements ModelSlotSource {
  constructor(readonly tagger: SlotTagger, private readonly types: readonly string[] = GAZETTEER_TYPES) {}

  async slots(text: string, taken: readonly Slot[] = []): Promise<Slot[]> {
    const tokens = slotTokens(text);
    if (!tokens.some((t) => this.mayBeMissedName(t, taken))) return [];
    const { tags } = await this.tagger.predict(tokens.map((t) => t.token));
    return bioToSpans(tags)
      .filter((span) => this.types.includes(span.type))
      .map((span) => {
        const start = tokens[span.start]!.start;
        const end = tokens[span.end - 1]!.end;
        const raw = text.slice(start, end);
        // Viterbi decoding gives a path, not probabilities; the pipeline sets the confidence when it resolves the value.
        return { type: span.type, value: raw, start, end, raw, source: 'model' as const, confidence: 0.5 };
      });
  }

  /**
   * Whether the tagger could find something in this token that the gazetteer and rules did not: the
   * pipeline keeps a model span only when Gazetteer.resolve maps it to the catalog, and past the forms
   * the gazetteer already matches that takes a Latin word of four letters or more (a typo of a name).
   * One the tagger saw in training is a template word ("under", "cheaper"), not a misspelt name. So a
   * turn without such a word outside the taken spans skips the network (measured: a parse takes 0.4–0.5 ms
   * so, 1.0–1.2 ms with the tagger run every time).
   */
  private mayBeMissedName(token: TextToken, taken: readonly Slot[]): boolean {
    if (token.token.length < 4 || !LATIN_LETTERS.test(token.token) || this.tagger.knows(token.token)) return false;
    return !taken.some((s) => s.start < token.end && token.start < s.end);
  }
}

const LATIN_LETTERS = /\p{Script=Latin}/u;
