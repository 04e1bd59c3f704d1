import type { Slot } from '../nlu.js';

const ZH_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ZH_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * A number as shoppers write it: `300`, `1,299`, `2.5k`, `3千`, `1.5万`, `三百`, `两千五`, `一千二百`.
 *
 * @example parseAmount('两千五') // 2500
 */
export function parseAmount(raw: string): number | undefined {
  const s = raw.replace(/\s+/gu, '').replace(/,/gu, '').toLowerCase();
  const arabic = /^(\d+(?:\.\d+)?)(k|千|w|万)?$/u.exec(s);
  if (arabic) {
    const base = Number(arabic[1]);
    const unit = arabic[2];
    return base * (unit === 'k' || unit === '千' ? 1000 : unit === 'w' || unit === '万' ? 10_000 : 1);
  }
  if (!/^[零一二两三四五六七八九十百千万]+$/u.test(s)) return undefined;
  let total = 0;
  let section = 0;
  let digit = -1;
  let lastUnit = 1;
  for (const ch of s) {
    if (ch in ZH_DIGITS) digit = ZH_DIGITS[ch]!;
    else if (ch === '万') {
      total += (section + Math.max(digit, 0)) * 10_000;
      section = 0;
      digit = -1;
      lastUnit = 10_000;
    } else {
      const unit = ZH_UNITS[ch]!;
      section += (digit < 0 ? 1 : digit) * unit;
      digit = -1;
      lastUnit = unit;
    }
  }
  // 两千五 is 2500: a trailing digit after a unit counts one unit lower.
  if (digit >= 0) section += lastUnit >= 10 && s.length > 1 && !(s[s.length - 2]! in ZH_DIGITS) ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

const NUM = String.raw`(\d+(?:,\d{3})*(?:\.\d+)?\s*(?:k(?![a-z])|千|w(?![a-z])|万)?|[零一二两三四五六七八九十百千万]{1,8})`;
const PRE = String.raw`(?:[$¥￥]|rmb\s*|cny\s*|usd\s*)?`;
const POST = String.raw`(?:\s*(?:元钱|元|块钱|块|rmb|yuan|dollars?|bucks|usd|cny|刀))?`;
const MONEY = `${PRE}${NUM}${POST}`;

type Kind = 'max' | 'min' | 'range' | 'around';
interface Rule {
  kind: Kind;
  pattern: RegExp;
  /** The rule needs a currency, a price word or a range word nearby to be sure the numbers are prices. */
  needsContext?: boolean;
}

const rule = (kind: Kind, source: string, needsContext = false): Rule => ({ kind, pattern: new RegExp(source, 'giu'), needsContext });

const RULES: Rule[] = [
  rule('range', String.raw`(?:between|from|在)?\s*${MONEY}\s*(?:到|至|-|~|～|—|–|and|to)\s*${MONEY}(?:\s*之间|\s*的)?`, true),
  rule('max', String.raw`(?:under|below|less than|cheaper than|at most|up to|no more than|not more than|within|max(?:imum)?|budget(?:\s+(?:of|is))?|不超过|不高于|低于|少于|小于|不到|最多|预算(?:是|在)?)\s*${MONEY}(?:\s*(?:以内|以下|之内))?`),
  rule('max', String.raw`${MONEY}\s*(?:以内|以下|之内|内|or less|or under|and under|and below|max)`),
  rule('min', String.raw`(?:over|above|more than|at least|starting (?:at|from)|不低于|高于|超过|大于|至少)\s*${MONEY}(?:\s*以上)?`),
  rule('min', String.raw`${MONEY}\s*(?:以上|起|or more|and up|and above|plus|\+)`),
  rule('around', String.raw`(?:around|about|approximately|roughly|大概|大约|差不多)\s*${MONEY}`),
  rule('around', String.raw`${MONEY}\s*(?:左右|上下)`),
];

// A bare amount with a currency (`300块的耳机`, `$50 shoes`) is taken as a price around it.
const BARE = new RegExp(String.raw`(?:[$¥￥]\s*${NUM}${POST}|${NUM}\s*(?:元钱|元|块钱|块|yuan|dollars?|bucks|rmb|刀))`, 'giu');
const CONTEXT = /[$¥￥元块]|rmb|yuan|dollar|bucks|usd|cny|price|budget|between|价|预算|之间|钱/iu;

const RELATIVE: Array<{ value: 'lower' | 'higher'; pattern: RegExp }> = [
  { value: 'lower', pattern: /便宜(?:一)?点|便宜些|便宜一些|更便宜|再便宜|太贵了?|有点贵|贵了|实惠(?:一)?点|价格低(?:一)?点|不要(?:那么|这么)贵|cheaper|less expensive|lower price|too expensive|too pricey|more affordable|on a budget/giu },
  { value: 'higher', pattern: /贵(?:一)?点的|更贵|高端(?:一)?点|好一点的|档次高|more expensive|pricier|higher[- ]end|more premium|better quality/giu },
];

/** Extends a range's span so "around 300" becomes 240–360 (±20%). */
const AROUND = 0.2;

function roundPrice(p: number): string {
  return String(Math.round(p * 100) / 100);
}

/**
 * Finds prices and price ranges in an utterance: "under 300 yuan", "300元以内", "300块以下", "between $20
 * and $50", "20到50元", "over 100", "500左右" (±20%), and relative wishes ("便宜点", "cheaper",
 * "more expensive"), which become a `price_relative` slot (`lower` / `higher`) for the dialog state to
 * resolve against the products last shown. Returns `price_min` / `price_max` slots (values are numbers
 * as strings), a range giving both over the same span.
 *
 * @example
 * priceSlots('我想要 Nike 的 running shoes 300以内'); // [{ type: 'price_max', value: '300', raw: '300以内', … }]
 */
export function priceSlots(text: string): Slot[] {
  const slots: Slot[] = [];
  const taken: Array<[number, number]> = [];
  const free = (s: number, e: number) => !taken.some(([a, b]) => a < e && s < b);
  const push = (type: string, value: number, start: number, end: number) => {
    slots.push({ type, value: roundPrice(value), start, end, raw: text.slice(start, end).trim(), source: 'rule', confidence: 1 });
  };
  for (const r of RULES) {
    r.pattern.lastIndex = 0;
    for (let m = r.pattern.exec(text); m; m = r.pattern.exec(text)) {
      const lead = m[0].length - m[0].trimStart().length;
      const start = m.index + lead;
      const end = m.index + m[0].trimEnd().length;
      if (end <= start || !free(start, end)) continue;
      if (r.needsContext && !CONTEXT.test(text.slice(Math.max(0, start - 6), Math.min(text.length, end + 4)))) continue;
      const a = parseAmount(m[1]!);
      if (a === undefined) continue;
      if (r.kind === 'range') {
        const b = parseAmount(m[2]!);
        if (b === undefined) continue;
        push('price_min', Math.min(a, b), start, end);
        push('price_max', Math.max(a, b), start, end);
      } else if (r.kind === 'around') {
        push('price_min', a * (1 - AROUND), start, end);
        push('price_max', a * (1 + AROUND), start, end);
      } else {
        push(r.kind === 'max' ? 'price_max' : 'price_min', a, start, end);
      }
      taken.push([start, end]);
    }
  }
  BARE.lastIndex = 0;
  for (let m = BARE.exec(text); m; m = BARE.exec(text)) {
    const start = m.index;
    const end = m.index + m[0].length;
    if (!free(start, end)) continue;
    const a = parseAmount(m[1] ?? m[2]!);
    if (a === undefined) continue;
    push('price_min', a * (1 - AROUND), start, end);
    push('price_max', a * (1 + AROUND), start, end);
    taken.push([start, end]);
  }
  for (const { value, pattern } of RELATIVE) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      if (!free(m.index, m.index + m[0].length)) continue;
      slots.push({ type: 'price_relative', value, start: m.index, end: m.index + m[0].length, raw: m[0], source: 'rule', confidence: 1 });
      taken.push([m.index, m.index + m[0].length]);
    }
  }
  return slots.sort((x, y) => x.start - y.start || (x.type < y.type ? -1 : 1));
}
