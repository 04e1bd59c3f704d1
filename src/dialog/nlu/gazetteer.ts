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
  /** Every surface form (lower-cased) of each type with its canonical value, for `resolve`. */
  private readonly forms = new Map<string, Map<string, string>>();

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
    let forms = this.forms.get(type);
    if (!forms) this.forms.set(type, (forms = new Map()));
    if (!forms.has(form)) forms.set(form, value);
  }

  /**
   * The catalog value a slot model's span stands for: a surface form of that type, or, for a Latin
   * word of four letters or more, the form one edit away (two from eight letters: a transposition, a
   * missing, extra or wrong letter), the nearest. Undefined when the catalog has nothing that close (a
   * value the catalog does not sell would only filter every product out) or two values are equally
   * close (the typo could be either). A single Chinese character (蓝) is never resolved here: whether
   * it is a colour depends on its neighbours, which only `match` sees.
   *
   * @example gazetteer.resolve('brand', 'Yunzih') // { value: 'Yunzhi', distance: 1 }
   */
  resolve(type: string, surface: string): { value: string; distance: number } | undefined {
    const form = lowerChars(surface.trim());
    if (type === 'size') {
      const size = form.toUpperCase();
      return this.sizes.has(size) || (this.sizes.size === 0 && LETTER_SIZES.has(size)) ? { value: size, distance: 0 } : undefined;
    }
    const forms = this.forms.get(type);
    if (!forms || form === '' || ([...form].length === 1 && HAN.test(form))) return undefined;
    const exact = forms.get(form);
    if (exact !== undefined) return { value: exact, distance: 0 };
    if (HAN.test(form) || form.length < 4) return undefined;
    const max = form.length >= 8 ? 2 : 1;
    let best: { value: string; distance: number } | undefined;
    let tied = false;
    for (const [candidate, value] of forms) {
      const distance = editDistance(form, candidate, best?.distance ?? max);
      if (distance === undefined) continue;
      if (!best || distance < best.distance) [best, tied] = [{ value, distance }, false];
      else if (value !== best.value) tied = true;
    }
    // "sxirt" is as near to shirt as to skirt.
    return tied ? undefined : best;
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

/**
 * Optimal string alignment distance of `a` and `b` (insertions, deletions, substitutions and swaps of
 * neighbours), or undefined when it is over `max` (rows stop early once every cell is over it).
 */
function editDistance(a: string, b: string, max: number): number | undefined {
  if (max < 0 || Math.abs(a.length - b.length) > max) return undefined;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let lowest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
      lowest = Math.min(lowest, d);
    }
    if (lowest > max) return undefined;
    before = previous;
    previous = current;
  }
  const distance = previous[b.length]!;
  return distance <= max ? distance : undefined;
}
