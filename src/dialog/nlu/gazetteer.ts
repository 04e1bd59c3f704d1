import type { CatalogVocabulary } from '../domain/catalog-vocabulary.js';
import type { Slot, TrainingSet } from '../nlu.js';

/** Slot types the gazetteer knows, in the order a surface form shared by two types is given to. */
export const GAZETTEER_TYPES = ['brand', 'category', 'color', 'size'] as const;

interface Entry {
  type: string;
  value: string;
  /** A single Chinese character (e.g. the colour 蓝): it counts only before 色/的/款/系 or at a break. */
  guarded: boolean;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  entry?: Entry;
}

const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{N}]/u;
const HAN = /\p{Script=Han}/u;
const SINGLE_HAN_FOLLOWERS = new Set(['色', '的', '款', '系']);
const LETTER_SIZES = new Set(['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'XXXL', '2XL', '3XL']);
// `size M`, `尺码M`, `M码`, `42码`, `42号`, and letter sizes written in capitals (`an XL`).
const SIZE_PATTERNS: RegExp[] = [
  /(?<![\p{Script=Latin}\p{N}])(?:size|尺码|码数|尺寸)\s*[:：]?\s*([A-Za-z0-9]{1,4})(?![\p{Script=Latin}\p{N}])/giu,
  /(?<![\p{Script=Latin}\p{N}])([A-Za-z0-9]{1,4})\s*(?:码|号)(?!码)/gu,
  /(?<![\p{Script=Latin}\p{N}'’])(XXS|XS|S|M|L|XL|XXL|XXXL|2XL|3XL)(?![\p{Script=Latin}\p{N}'’])/gu,
];

function lowerChars(text: string): string {
  // Per character, so offsets into the lower-cased text are offsets into the original.
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    out += lower.length === ch.length ? lower : ch;
  }
  return out;
}

/**
 * Finds catalog vocabulary in an utterance by longest match: brands, categories of every level,
 * colours and sizes, in Chinese and English, plus the synonyms and lookup tables of a TrainingSet.
 * Chinese forms match anywhere (Chinese has no spaces); forms starting or ending with a Latin letter or
 * digit match only on word boundaries there; matching ignores case. Sizes are found by pattern
 * (`size M`, `42码`, an `XL` in capitals) and kept when the catalog sells that size (or has no sizes).
 *
 * @example
 * const gazetteer = Gazetteer.fromVocabulary(catalogVocabulary(items));
 * gazetteer.match('我想要 Yunzhi 的蓝色连衣裙'); // brand Yunzhi, color blue, category 连衣裙
 */
export class Gazetteer {
  private readonly root: TrieNode = { children: new Map() };
  private readonly sizes = new Set<string>();
  private readonly values = new Map<string, string>();

  /** Builds a gazetteer from the catalog's vocabulary and, when given, a TrainingSet's synonyms and lookups. */
  static fromVocabulary(vocabulary: CatalogVocabulary, set?: Pick<TrainingSet, 'synonyms' | 'lookups'>): Gazetteer {
    const g = new Gazetteer();
    const lists: Array<[string, CatalogVocabulary['brands']]> = [['brand', vocabulary.brands], ['category', vocabulary.categories], ['color', vocabulary.colors]];
    for (const [type, list] of lists) {
      for (const e of list) for (const form of [e.value, ...e.zh, ...e.en]) g.add(type, form, e.value);
    }
    for (const s of vocabulary.sizes) g.sizes.add(s.value.toUpperCase());
    if (set) {
      for (const [type, values] of Object.entries(set.lookups)) for (const v of values) g.add(type, v, set.synonyms[v.toLowerCase()] ?? v);
      for (const [surface, canonical] of Object.entries(set.synonyms)) {
        const type = g.values.get(canonical);
        if (type) g.add(type, surface, canonical);
      }
    }
    return g;
  }

  /** Adds one surface form; a form already taken keeps its first type (see GAZETTEER_TYPES). */
  add(type: string, surface: string, value: string): void {
    const form = lowerChars(surface.trim());
    if (form === '') return;
    if (type === 'size') {
      this.sizes.add(value.toUpperCase());
      return;
    }
    let node = this.root;
    for (const ch of form) {
      let next = node.children.get(ch);
      if (!next) node.children.set(ch, (next = { children: new Map() }));
      node = next;
    }
    if (!node.entry) node.entry = { type, value, guarded: [...form].length === 1 && HAN.test(form) };
    if (!this.values.has(value)) this.values.set(value, type);
  }

  /** The slot type of a canonical value, if the gazetteer knows it. */
  typeOf(value: string): string | undefined {
    return this.values.get(value);
  }

  /** All matches in `text`, left to right, longest first at each position, never overlapping. */
  match(text: string): Slot[] {
    const lower = lowerChars(text);
    const chars = [...lower];
    const offsets: number[] = [];
    let at = 0;
    for (const ch of chars) {
      offsets.push(at);
      at += ch.length;
    }
    offsets.push(at);
    const slots: Slot[] = [];
    let i = 0;
    while (i < chars.length) {
      const found = this.longestAt(chars, i);
      if (!found) {
        i++;
        continue;
      }
      const start = offsets[i]!;
      const end = offsets[found.end]!;
      slots.push({ type: found.entry.type, value: found.entry.value, start, end, raw: text.slice(start, end), source: 'gazetteer', confidence: 1 });
      i = found.end;
    }
    return this.withSizes(text, slots);
  }

  private longestAt(chars: string[], start: number): { entry: Entry; end: number } | undefined {
    if (LATIN_OR_DIGIT.test(chars[start]!) && start > 0 && LATIN_OR_DIGIT.test(chars[start - 1]!)) return undefined;
    let node = this.root;
    let best: { entry: Entry; end: number } | undefined;
    for (let j = start; j < chars.length; j++) {
      const next = node.children.get(chars[j]!);
      if (!next) break;
      node = next;
      if (node.entry && this.boundaryOk(chars, start, j + 1, node.entry)) best = { entry: node.entry, end: j + 1 };
    }
    return best;
  }

  private boundaryOk(chars: string[], start: number, end: number, entry: Entry): boolean {
    const after = chars[end];
    if (LATIN_OR_DIGIT.test(chars[end - 1]!) && after !== undefined && LATIN_OR_DIGIT.test(after)) return false;
    if (entry.guarded) {
      // 蓝 is blue in 蓝色 / 蓝的, but not in 蓝牙; a lone colour character before another Han word is not a colour.
      if (after !== undefined && HAN.test(after) && !SINGLE_HAN_FOLLOWERS.has(after)) return false;
      const before = chars[start - 1];
      if (before !== undefined && HAN.test(before) && !'要个件款双只条的是和或有成换来选拿买看种'.includes(before)) return false;
    }
    return true;
  }

  private withSizes(text: string, slots: Slot[]): Slot[] {
    const taken = (s: number, e: number) => slots.some((x) => x.start < e && s < x.end);
    const found: Slot[] = [];
    for (const pattern of SIZE_PATTERNS) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        const value = m[1]!.toUpperCase();
        const start = m.index;
        const end = m.index + m[0].length;
        const isSize = LETTER_SIZES.has(value) || /^\d{2,3}$/u.test(value) || this.sizes.has(value);
        if (!isSize || (this.sizes.size > 0 && !this.sizes.has(value))) continue;
        if (taken(start, end) || found.some((x) => x.start < end && start < x.end)) continue;
        found.push({ type: 'size', value, start, end, raw: text.slice(start, end), source: 'gazetteer', confidence: 1 });
      }
    }
    return [...slots, ...found].sort((a, b) => a.start - b.start);
  }
}
