import type { Emotion, NluParser, NluResult, Slot } from '../nlu.js';
import { EMOTIONS } from '../nlu.js';
import { dialogSlots } from './dialog-rules.js';
import { GAZETTEER_TYPES, type Gazetteer } from './gazetteer.js';
import { priceSlots } from './price-rules.js';
import type { TextClassifier } from './text-classifier.js';

/**
 * A trained slot model (e.g. a BiGRU-CRF tagger) adapted to character spans of `text`. Its slots only
 * fill the gaps the gazetteer and rules leave (a span overlapping one of theirs is dropped). For the
 * catalog's types (brand, category, color, size) `value` may be the span's text: the pipeline maps it
 * to the catalog's value (`Gazetteer.resolve`: the form itself or a typo of it) and drops a span the
 * catalog has nothing for; slots of other types are kept as they come, so their values must be final.
 */
export interface ModelSlotSource {
  /** Spans of `text`; `taken` are the gazetteer's and rules' slots (a source may skip its work where they cover everything it could add). */
  slots(text: string, taken?: readonly Slot[]): Promise<Slot[]>;
}

export interface NluPipelineParts {
  gazetteer: Gazetteer;
  intent: TextClassifier;
  emotion: TextClassifier;
  /** Below this top intent confidence the utterance is out of scope (default 0.4). */
  outOfScopeThreshold?: number;
  slotModel?: ModelSlotSource;
  /**
   * Training utterances (masked, see {@link exactKey}) whose intent is unambiguous: an utterance equal to
   * one of them gets that intent with at least 0.95 confidence (short phrases like "hello" carry little
   * for a network to go on).
   */
  exact?: ReadonlyMap<string, string>;
}

/**
 * The key an utterance is looked up by in the exact-match table: masked, lower-cased, without spaces and
 * punctuation.
 *
 * @example exactKey('Thanks a lot!') // 'thanksalot'
 */
export function exactKey(masked: string): string {
  return masked.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * The exact-match table of labelled (masked) utterances: each key with one label only.
 *
 * @example exactTable([{ text: 'hello', label: 'greeting' }]).get('hello') // 'greeting'
 */
export function exactTable(examples: ReadonlyArray<{ text: string; label: string }>): Map<string, string> {
  const table = new Map<string, string | null>();
  for (const e of examples) {
    const key = exactKey(e.text);
    if (key === '') continue;
    const seen = table.get(key);
    table.set(key, seen === undefined || seen === e.label ? e.label : null);
  }
  return new Map([...table].filter((entry): entry is [string, string] => entry[1] !== null));
}

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /\p{Script=Latin}[\p{Script=Latin}'’-]*/gu;

/**
 * The language of an utterance by script: `zh` (Han characters only), `en` (no Han), `mixed` (both
 * carry words, e.g. "我想要 Nike 的 running shoes").
 *
 * @example detectLanguage('我想要 Nike 的 running shoes') // 'mixed'
 */
export function detectLanguage(text: string): 'zh' | 'en' | 'mixed' {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  if (han === 0) return 'en';
  if (latin === 0) return 'zh';
  return 'mixed';
}

/**
 * The main script of a text, for replying: Chinese unless Latin words outnumber half the Han characters.
 *
 * @example mainLanguage('我想要 Nike 的 running shoes 300以内') // 'zh'
 */
export function mainLanguage(text: string): 'zh' | 'en' {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  return han > 0 && han / 2 >= latin ? 'zh' : 'en';
}

/** What an entity becomes in the text the classifiers read: one token per slot type. */
const MASKS: Record<string, string> = {
  brand: 'qbrand', category: 'qcat', color: 'qcolor', size: 'qsize', price_min: 'qprice', price_max: 'qprice', ordinal: 'qord', order_id: 'qorder',
};

/**
 * Replaces entity spans with a token per type (`qcat`, `qbrand`, `qprice`, …), so the intent and emotion
 * classifiers learn the shape of a request, not one catalog's names, and work on any catalog.
 *
 * @example maskEntities('有没有蓝色的连衣裙', slots) // '有没有 qcolor 的 qcat '
 */
export function maskEntities(text: string, spans: ReadonlyArray<{ type: string; start: number; end: number }>): string {
  const masked = spans.filter((s) => MASKS[s.type]).sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const s of masked) {
    if (s.start < at) continue;
    out += `${text.slice(at, s.start)} ${MASKS[s.type]} `;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * Slots of the gazetteer, the price rules and the dialog rules, without overlaps: a price span wins over a
 * size inside it, an ordinal over a catalog word inside it, and a brand after a negation becomes an
 * `exclude_brand` slot.
 *
 * @example ruleSlots(gazetteer, '不要云织的，300以内').map((s) => s.type) // ['exclude_brand', 'price_max']
 */
export function ruleSlots(gazetteer: Gazetteer, text: string): Slot[] {
  const found = gazetteer.match(text);
  const prices = priceSlots(text);
  const overlapsPrice = (s: Slot) => prices.some((p) => p.start < s.end && s.start < p.end);
  const catalog = found.filter((s) => !(s.type === 'size' && overlapsPrice(s)));
  const { slots: rules, negatedBrands } = dialogSlots(text, catalog.filter((s) => s.type === 'brand'));
  const overlapsOrdinal = (s: Slot) => rules.some((r) => r.type === 'ordinal' && r.start < s.end && s.start < r.end);
  const kept = catalog.filter((s) => !negatedBrands.includes(s) && !overlapsOrdinal(s));
  return [...kept, ...prices, ...rules].sort((a, b) => a.start - b.start);
}

// Strong words that decide the emotion whatever the classifier says (it has seen few of them).
const ANGRY = /太差了|太烂了|垃圾|投诉|气死|骗子|坑人|受够了|破推荐|什么破|烦死了|差评|没用|useless|terrible|worst|ridiculous|scam|complain|fed up|furious|angry|unacceptable|rip-?off|awful/iu;
const NEGATIVE = /失望|不满意|不太行|不喜欢|disappoint|not happy|unhappy|not what i wanted/iu;
const POSITIVE = /谢谢|多谢|太好了|太棒了|真棒|满意|thank|thanks|great|awesome|perfect|love it|wonderful/iu;

/**
 * The NLU of a shop: slots from the catalog gazetteer, the price rules and the dialog rules (ordinals,
 * brand exclusions, attributes, order numbers), plus a slot model when one is given; then the intent
 * and the emotion from two trained classifiers reading the text with entities masked; out of scope when
 * the top intent is `out_of_scope` or its confidence is under the threshold; strong words of anger and
 * praise decide the emotion.
 *
 * @example
 * const nlu = new NluPipeline({ gazetteer, intent, emotion });
 * const result = await nlu.parse('有没有蓝色的连衣裙，300以内');
 * result.intent.name; // 'search_product'
 */
export class NluPipeline implements NluParser {
  readonly threshold: number;

  constructor(private readonly parts: NluPipelineParts) {
    this.threshold = parts.outOfScopeThreshold ?? 0.4;
  }

  /** The same pipeline with another gazetteer (the catalog changed; the models are kept until retrained). */
  withGazetteer(gazetteer: Gazetteer): NluPipeline {
    return new NluPipeline({ ...this.parts, gazetteer });
  }

  /** Slots of the gazetteer and the rules only (no models). */
  ruleSlots(text: string): Slot[] {
    return ruleSlots(this.parts.gazetteer, text);
  }

  /** Intent features: the text with entity spans masked. */
  featureText(text: string, slots: readonly Slot[]): string {
    return maskEntities(text, slots);
  }

  async parse(text: string): Promise<NluResult> {
    let slots = this.ruleSlots(text);
    if (this.parts.slotModel) slots = [...slots, ...(await this.modelSlots(text, slots))].sort((a, b) => a.start - b.start);
    const features = this.featureText(text, slots);
    const [ranked, emotions] = await Promise.all([this.parts.intent.rank(features), this.parts.emotion.rank(features)]);
    const intents = withCue(text, slots, this.withExactMatch(features, ranked));
    const top = intents[0] ?? { name: 'out_of_scope', confidence: 0 };
    return {
      text,
      language: detectLanguage(text),
      intent: top,
      outOfScope: top.name === 'out_of_scope' || top.confidence < this.threshold,
      intentRanking: intents.slice(0, Math.max(3, Math.min(intents.length, 5))),
      slots,
      emotion: emotionOf(text, emotions),
    };
  }

  /** The slot model's spans in the gaps of `taken`, catalog types with catalog values (the others dropped). */
  private async modelSlots(text: string, taken: readonly Slot[]): Promise<Slot[]> {
    const out: Slot[] = [];
    for (const m of await this.parts.slotModel!.slots(text, taken)) {
      if (taken.some((s) => s.start < m.end && m.start < s.end)) continue;
      if (!(GAZETTEER_TYPES as readonly string[]).includes(m.type)) {
        out.push(m);
        continue;
      }
      const resolved = this.parts.gazetteer.resolve(m.type, m.value);
      // A tagger gives a path, not probabilities: the confidence says how near the span is to the catalog's form.
      if (resolved) out.push({ ...m, value: resolved.value, source: 'model', confidence: resolved.distance === 0 ? 0.9 : 0.7 });
    }
    return out;
  }

  private withExactMatch(features: string, ranked: Array<{ name: string; confidence: number }>): Array<{ name: string; confidence: number }> {
    const label = this.parts.exact?.get(exactKey(features));
    if (!label || (ranked[0]?.name === label && ranked[0].confidence >= 0.95)) return ranked;
    const rest = ranked.filter((r) => r.name !== label);
    const mass = rest.reduce((a, r) => a + r.confidence, 0) || 1;
    return [{ name: label, confidence: 0.95 }, ...rest.map((r) => ({ name: r.name, confidence: (0.05 * r.confidence) / mass }))];
  }
}

// Words that name a social intent outright; they decide it when the model is unsure and nothing in the
// text is about products (the classifier has few short social phrases to learn from).
const INTENT_CUES: Array<{ intent: string; pattern: RegExp }> = [
  { intent: 'human_agent', pattern: /人工|真人|转接|(?<![\p{L}])(?:human|real person|agent|representative|operator|someone real)(?![\p{L}])/iu },
  { intent: 'thanks', pattern: /谢谢|多谢|感谢|谢啦|(?<![\p{L}])(?:thanks?|thank you|thx|cheers|appreciate it)(?![\p{L}])/iu },
  { intent: 'goodbye', pattern: /再见|拜拜|回头见|(?<![\p{L}])(?:bye|goodbye|see you|see ya)(?![\p{L}])/iu },
  { intent: 'greeting', pattern: /^\s*(?:你好|您好|嗨|哈喽|在吗|(?:hi|hello|hey|good (?:morning|afternoon|evening))(?![\p{L}]))/iu },
];
const CONTENT_SLOTS = new Set(['brand', 'category', 'color', 'size', 'price_min', 'price_max', 'price_relative', 'ordinal', 'order_id', 'exclude_brand']);

function withCue(text: string, slots: readonly Slot[], ranked: Array<{ name: string; confidence: number }>): Array<{ name: string; confidence: number }> {
  const top = ranked[0];
  if (!top || (top.name !== 'out_of_scope' && top.confidence >= 0.8) || slots.some((s) => CONTENT_SLOTS.has(s.type))) return ranked;
  const cue = INTENT_CUES.find((c) => c.pattern.test(text));
  if (!cue || cue.intent === top.name) return ranked;
  const rest = ranked.filter((r) => r.name !== cue.intent);
  const mass = rest.reduce((a, r) => a + r.confidence, 0) || 1;
  return [{ name: cue.intent, confidence: 0.9 }, ...rest.map((r) => ({ name: r.name, confidence: (0.1 * r.confidence) / mass }))];
}

function emotionOf(text: string, ranked: Array<{ name: string; confidence: number }>): { label: Emotion; confidence: number } {
  const top = ranked.find((r) => (EMOTIONS as readonly string[]).includes(r.name)) ?? { name: 'neutral', confidence: 0 };
  const label = top.name as Emotion;
  if (ANGRY.test(text)) return { label: 'angry', confidence: label === 'angry' ? Math.max(top.confidence, 0.9) : 0.9 };
  if (NEGATIVE.test(text) && (label === 'neutral' || label === 'positive')) return { label: 'negative', confidence: 0.8 };
  if (POSITIVE.test(text) && label === 'neutral') return { label: 'positive', confidence: 0.8 };
  return { label, confidence: top.confidence };
}
