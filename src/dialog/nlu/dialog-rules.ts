import type { Slot } from '../nlu.js';
import { parseAmount } from './price-rules.js';

/**
 * Rules for the slots a dialog turn refers back with: `ordinal` ("the second one", "第二个", "最后一个" →
 * `2` / `last`), `exclude_brand` ("不要这个牌子", "not this brand" → `this`; "不要 Yunzhi" turns that
 * brand slot into an exclusion), `attribute` (what is asked about an item: price, material, colour,
 * size, stock, brand, origin, ingredient, format, details) and `order_id`.
 */

const ORDINAL_WORDS: Record<string, string> = {
  first: '1', second: '2', third: '3', fourth: '4', fifth: '5', sixth: '6', '1st': '1', '2nd': '2', '3rd': '3', '4th': '4', '5th': '5', '6th': '6', last: 'last',
};

const ORDINAL_PATTERNS: Array<{ pattern: RegExp; value: (m: RegExpExecArray) => string | undefined }> = [
  { pattern: /第\s*([一二三四五六七八九十\d]{1,3})\s*(?:个|款|件|种|双|台|本|条|只|把|样|项|位)?/gu, value: (m) => ordinalNumber(m[1]!) },
  { pattern: /最后(?:一|那)?(?:个|款|件|种|双|台|本|条|只)/gu, value: () => 'last' },
  { pattern: /(?<![\p{L}\p{N}])(?:the\s+)?(first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th|last)(?:\s+(?:one|item|product|option|choice))?(?![\p{L}\p{N}])/giu, value: (m) => ORDINAL_WORDS[m[1]!.toLowerCase()] },
  { pattern: /(?<![\p{L}\p{N}])(?:number|no\.|#)\s*(\d{1,2})(?![\p{L}\p{N}])/giu, value: (m) => m[1] },
];

function ordinalNumber(raw: string): string | undefined {
  const n = parseAmount(raw);
  return n !== undefined && n >= 1 && n <= 50 ? String(n) : undefined;
}

const EXCLUDE_THIS: RegExp[] = [
  /(?:不要|不想要|别要|不喜欢|不考虑|排除|去掉)(?:这个|这|那个|该|此)?(?:牌子|品牌|家)(?:的)?/gu,
  /(?:换(?:一)?个|换|别的|其他的?|其它的?)(?:牌子|品牌)/gu,
  /(?<![\p{L}])(?:not|no more|don't want|do not want|without|anything but)\s+(?:this|that|the same)\s+brand/giu,
  /(?<![\p{L}])(?:another|a different|other|different)\s+brands?/giu,
];
const NEGATION_BEFORE_BRAND = /(?:不要|不想要|别要|除了|排除|不喜欢|不考虑|not|no|except|without|other than|anything but|no more)\s*$/iu;

const ATTRIBUTES: Array<{ value: string; pattern: RegExp }> = [
  { value: 'price', pattern: /多少钱|价格|价钱|售价|几块|how much|price|cost/iu },
  { value: 'material', pattern: /材质|面料|什么材料|什么做的|made of|material|fabric/iu },
  { value: 'color', pattern: /什么颜色|颜色|哪些颜色|what colou?r|which colou?rs?|colou?rs? (?:does|do|is|are)|come in/iu },
  { value: 'size', pattern: /尺码|尺寸|多大|什么码|what size|which sizes?|sizes? (?:does|do|are|is)/iu },
  { value: 'stock', pattern: /有货|有没有货|库存|现货|还有吗|in stock|available|availability|sold out/iu },
  { value: 'brand', pattern: /什么牌子|哪个牌子|什么品牌|哪个品牌|what brand|which brand|who makes/iu },
  { value: 'origin', pattern: /产地|哪里产|哪儿产|where (?:is|are) (?:it|they) (?:made|from)|origin/iu },
  { value: 'ingredient', pattern: /成分|配方|ingredients?/iu },
  { value: 'format', pattern: /版本|平装|精装|format|hardcover|paperback/iu },
  { value: 'details', pattern: /介绍|详情|详细|怎么样|tell me more|details|describe|more about/iu },
];

const ORDER_ID = [
  /(?:订单号?|单号|order(?:\s*(?:number|no\.?|#|id))?)\s*(?:是|为|:|：|#|is)?\s*([A-Za-z]{0,4}\d[A-Za-z0-9-]{3,30})/giu,
  /(?<![\p{L}\p{N}])(\d{8,24})(?![\p{L}\p{N}])/gu,
];

function all(text: string, pattern: RegExp): RegExpExecArray[] {
  pattern.lastIndex = 0;
  const out: RegExpExecArray[] = [];
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) out.push(m);
  return out;
}

function ruleSlot(text: string, type: string, value: string, start: number, end: number): Slot {
  return { type, value, start, end, raw: text.slice(start, end), source: 'rule', confidence: 1 };
}

/**
 * Ordinal, exclusion, attribute and order-number slots of `text`; `brands` are the brand slots found by
 * the gazetteer (a brand right after a negation becomes an `exclude_brand` slot; those brand slots are
 * returned in `negatedBrands` so the caller can drop them).
 *
 * @example dialogSlots('不要这个牌子，第二个呢', []).slots.map((s) => s.type) // ['exclude_brand', 'ordinal']
 */
export function dialogSlots(text: string, brands: readonly Slot[]): { slots: Slot[]; negatedBrands: Slot[] } {
  const slots: Slot[] = [];
  const taken: Array<[number, number]> = [];
  const free = (s: number, e: number) => !taken.some(([a, b]) => a < e && s < b);
  for (const pattern of EXCLUDE_THIS) {
    for (const m of all(text, pattern)) {
      const end = m.index + m[0].length;
      if (!free(m.index, end)) continue;
      slots.push(ruleSlot(text, 'exclude_brand', 'this', m.index, end));
      taken.push([m.index, end]);
    }
  }
  const negatedBrands = brands.filter((b) => NEGATION_BEFORE_BRAND.test(text.slice(Math.max(0, b.start - 14), b.start)));
  for (const b of negatedBrands) slots.push({ ...b, type: 'exclude_brand', source: 'rule' });
  const orders: Slot[] = [];
  for (const pattern of ORDER_ID) {
    for (const m of all(text, pattern)) {
      const start = m.index + m[0].lastIndexOf(m[1]!);
      const end = start + m[1]!.length;
      if (!free(start, end)) continue;
      orders.push(ruleSlot(text, 'order_id', m[1]!.toUpperCase(), start, end));
      taken.push([start, end]);
    }
  }
  slots.push(...orders.slice(0, 1));
  for (const { pattern, value } of ORDINAL_PATTERNS) {
    for (const m of all(text, pattern)) {
      const v = value(m);
      const end = m.index + m[0].length;
      if (v === undefined || !free(m.index, end)) continue;
      slots.push(ruleSlot(text, 'ordinal', v, m.index, end));
      taken.push([m.index, end]);
    }
  }
  for (const { value, pattern } of ATTRIBUTES) {
    const m = pattern.exec(text);
    if (m && free(m.index, m.index + m[0].length)) {
      slots.push(ruleSlot(text, 'attribute', value, m.index, m.index + m[0].length));
      break;
    }
  }
  return { slots: slots.sort((a, b) => a.start - b.start), negatedBrands };
}
