import type { Item } from '../../core/catalog.js';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import type { Emotion, TrainingExample, TrainingSet } from '../nlu.js';
import { priceSlots } from '../nlu/price-rules.js';
import { COLOR_LEXICON, catalogVocabulary, type CatalogVocabulary, type VocabularyEntry } from './catalog-vocabulary.js';
import { type Filler, renderTemplate, type IntentTemplates } from './template.js';
import { TEMPLATES_EN } from './templates-en.js';
import { TEMPLATES_ZH } from './templates-zh.js';

/** The intents of Shopwise's shopping domain. */
export const DOMAIN_INTENTS = [
  'search_product', 'refine', 'compare', 'ask_attribute', 'add_to_cart', 'order_status', 'return_refund',
  'complaint', 'greeting', 'thanks', 'human_agent', 'goodbye', 'out_of_scope',
] as const;
export type DomainIntent = (typeof DOMAIN_INTENTS)[number];

export interface DomainOptions {
  /** Seed of the generator (default `shopwise-domain`): the same catalog and seed give the same set. */
  seed?: string;
  /** Examples drawn per intent and language (default 150; duplicates are dropped). */
  perIntent?: number;
  languages?: ReadonlyArray<'zh' | 'en'>;
  /** Share of search/refine/ask utterances wrapped in an emotional lead-in ("this is useless, …"; default 0.15). */
  emotionalShare?: number;
}

const DEFAULT_EMOTION: Partial<Record<string, Emotion>> = { complaint: 'angry', thanks: 'positive' };
const WRAPPABLE = new Set(['search_product', 'refine', 'ask_attribute', 'compare', 'order_status', 'return_refund']);
const LEAD_INS: Record<'zh' | 'en', Record<'angry' | 'negative' | 'positive', string[]>> = {
  zh: {
    angry: ['这什么破推荐，', '烦死了，', '怎么还是不对，', '气死了，', '太差劲了，'],
    negative: ['还是没找到合适的，', '嗯，不太满意，', '这些都不太行，', '有点失望，'],
    positive: ['太好了，', '不错不错，', '真棒，', '好喜欢，'],
  },
  en: {
    angry: ['this is useless, ', 'ugh, this is ridiculous, ', 'come on, this is terrible, ', "i'm fed up, "],
    negative: ['hmm, not quite what i wanted, ', 'none of these work, ', "i'm not sure about these, ", 'a bit disappointing, '],
    positive: ['great, ', 'awesome, ', 'love it, ', 'perfect, '],
  },
};
const ORDINALS: Record<'zh' | 'en', Array<[string, string]>> = {
  zh: [['第一个', '1'], ['第二个', '2'], ['第三个', '3'], ['第二款', '2'], ['第一款', '1'], ['第三款', '3'], ['第4个', '4'], ['最后一个', 'last'], ['第五个', '5']],
  en: [['the first one', '1'], ['the second one', '2'], ['the third one', '3'], ['the first', '1'], ['the second', '2'], ['number 3', '3'], ['the last one', 'last'], ['the 2nd one', '2'], ['the fourth one', '4']],
};
const DEFAULT_SIZES = ['S', 'M', 'L', 'XL', '38', '40', '42'];
const HAN = /\p{Script=Han}/u;

/**
 * Generates Shopwise's own bilingual (zh + en) shopping domain from templates and the shop's catalog:
 * the 13 intents of DOMAIN_INTENTS with annotated entities (brand, category, color, size, price_min /
 * price_max, ordinal, order_id), emotion labels, the catalog's synonyms (every surface form → canonical
 * value) and lookup tables. A new shop's assistant trains on it on day one.
 *
 * @example
 * const set = generateDomainTrainingSet(items, { seed: 'shop-a' });
 * set.examples[0]; // { text: '有没有蓝色的连衣裙', intent: 'search_product', entities: [...], emotion: 'neutral' }
 */
export function generateDomainTrainingSet(items: readonly Item[], options: DomainOptions = {}): TrainingSet {
  const vocabulary = catalogVocabulary(items);
  if (vocabulary.categories.length === 0) throw AppError.invalid('the catalog has no categories to build the shopping domain from; give items a categoryPath', { field: 'categoryPath' });
  const rng = new SeededRandom(options.seed ?? 'shopwise-domain');
  const perIntent = options.perIntent ?? 150;
  const prices = items.map((i) => i.price).filter((p): p is number => p !== null && p > 0).sort((a, b) => a - b);
  const examples: TrainingExample[] = [];
  const seen = new Set<string>();
  for (const language of options.languages ?? ['zh', 'en']) {
    const templates: IntentTemplates = language === 'zh' ? TEMPLATES_ZH : TEMPLATES_EN;
    const fillers = makeFillers(vocabulary, prices, language, rng.fork(`fill-${language}`));
    for (const intent of DOMAIN_INTENTS) {
      const list = templates[intent] ?? [];
      const r = rng.fork(`${language}-${intent}`);
      for (let k = 0, tries = 0; k < perIntent && tries < perIntent * 4 && list.length > 0; tries++) {
        const example = draw(intent, r.pick(list), language, fillers, r, options.emotionalShare ?? 0.15);
        if (!example || seen.has(`${intent}\u0000${example.text}`)) continue;
        seen.add(`${intent}\u0000${example.text}`);
        examples.push(example);
        k++;
      }
    }
  }
  rng.fork('order').shuffle(examples);
  return { examples, synonyms: synonymsOf(vocabulary), lookups: lookupsOf(vocabulary) };
}

function draw(intent: string, template: string, language: 'zh' | 'en', fill: (name: string) => Filler | undefined, rng: SeededRandom, emotionalShare: number): TrainingExample | undefined {
  const rendered = renderTemplate(template, rng, fill);
  if (!rendered) return undefined;
  let { text } = rendered;
  let entities = rendered.entities.filter((e) => e.type !== 'price');
  if (rendered.entities.some((e) => e.type === 'price')) {
    for (const s of priceSlots(text)) if (s.type === 'price_min' || s.type === 'price_max') entities.push({ type: s.type, value: s.value, start: s.start, end: s.end });
  }
  let emotion: Emotion = rendered.emotion ?? DEFAULT_EMOTION[intent] ?? 'neutral';
  if (WRAPPABLE.has(intent) && rng.bernoulli(emotionalShare)) {
    const mood = rng.pick(['angry', 'negative', 'positive'] as const);
    const lead = rng.pick(LEAD_INS[language][mood]);
    text = lead + text;
    entities = entities.map((e) => ({ ...e, start: e.start + lead.length, end: e.end + lead.length }));
    emotion = mood;
  }
  return { text, intent, entities: entities.sort((a, b) => a.start - b.start), emotion };
}

function makeFillers(v: CatalogVocabulary, prices: number[], language: 'zh' | 'en', rng: SeededRandom): (name: string) => Filler | undefined {
  const leaves = v.categories.filter((c) => c.depth >= 1);
  const colors: VocabularyEntry[] = v.colors.length > 0 ? v.colors : Object.entries(COLOR_LEXICON).map(([value, f]) => ({ value, ...f }));
  const sizes = v.sizes.length > 0 ? v.sizes.map((s) => s.value) : DEFAULT_SIZES;
  const surface = (e: VocabularyEntry, preferZh: boolean): string => {
    const zh = e.zh.length > 0 ? rng.pick(e.zh) : undefined;
    const en = !HAN.test(e.value) ? e.value : e.en.length > 0 ? rng.pick(e.en) : undefined;
    const mixed = rng.bernoulli(0.12);
    return (preferZh !== mixed ? zh ?? en : en ?? zh) ?? e.value;
  };
  const amount = () => {
    const p = prices.length > 0 ? prices[Math.floor(rng.range(0.15, 0.9) * prices.length)]! : rng.range(50, 2000);
    const step = p >= 1000 ? 500 : p >= 200 ? 100 : p >= 50 ? 50 : 10;
    return Math.max(step, Math.round(p / step) * step);
  };
  const price = (): string => {
    const n = amount();
    const m = n * rng.pick([2, 3, 4]);
    const zh = [`${n}元以内`, `${n}块以下`, `${n}以内`, `不超过${n}元`, `${n}到${m}元`, `${n}元以上`, `${n}左右`, `预算${n}`, `低于${n}块`, `${n}-${m}块`];
    const en = [`under ${n} yuan`, `below $${n}`, `less than ${n}`, `between $${n} and $${m}`, `${n} to ${m} yuan`, `over ${n}`, `around ${n} yuan`, `at most ${n}`, `under ${n}`, `${n} or less`];
    return rng.pick(language === 'zh' ? zh : en);
  };
  let lastOrdinal = '';
  return (name) => {
    switch (name) {
      case 'cat': {
        const e = rng.bernoulli(0.85) && leaves.length > 0 ? rng.pick(leaves) : rng.pick(v.categories);
        return { text: surface(e, language === 'zh'), entity: { type: 'category', value: e.value } };
      }
      case 'brand': {
        if (v.brands.length === 0) return undefined;
        const e = rng.pick(v.brands);
        return { text: surface(e, language === 'zh' && rng.bernoulli(0.6)), entity: { type: 'brand', value: e.value } };
      }
      case 'color': {
        const e = rng.pick(colors);
        const forms = language === 'zh' ? e.zh.filter((f) => f.length > 1) : e.en;
        return { text: forms.length > 0 ? rng.pick(forms) : e.value, entity: { type: 'color', value: e.value } };
      }
      case 'size': {
        const s = rng.pick(sizes);
        return { text: s, entity: { type: 'size', value: s } };
      }
      case 'ord':
      case 'ord2': {
        const options = ORDINALS[language].filter(([, v]) => name === 'ord' || v !== lastOrdinal);
        const [text, value] = rng.pick(options);
        lastOrdinal = value;
        return { text, entity: { type: 'ordinal', value } };
      }
      case 'order': {
        const id = rng.bernoulli(0.5) ? `SW${100000 + rng.int(900000)}` : `${1000 + rng.int(9000)}${100000 + rng.int(900000)}`;
        return { text: id, entity: { type: 'order_id', value: id } };
      }
      case 'price':
        return { text: price(), entity: { type: 'price', value: '' } };
      case 'pricenum': {
        const n = amount();
        return { text: rng.pick([`${n} yuan`, `$${n}`, `${n}`]), entity: { type: 'price', value: '' } };
      }
      default:
        throw AppError.invalid(`unknown placeholder {${name}} in a domain template`, { field: name });
    }
  };
}

function synonymsOf(v: CatalogVocabulary): Record<string, string> {
  const out: Record<string, string> = {};
  for (const list of [v.brands, v.categories, v.colors]) {
    for (const e of list) for (const form of [...e.zh, ...e.en]) if (form.toLowerCase() !== e.value.toLowerCase()) out[form.toLowerCase()] = e.value;
  }
  return out;
}

function lookupsOf(v: CatalogVocabulary): Record<string, string[]> {
  return { brand: v.brands.map((e) => e.value), category: v.categories.map((e) => e.value), color: v.colors.map((e) => e.value), size: v.sizes.map((e) => e.value) };
}
