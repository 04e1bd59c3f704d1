import type { Item } from '../../core/catalog.js';

/** A value the shopper may name, with its surface forms in both languages. */
export interface VocabularyEntry {
  /** Canonical value: the catalog's own brand and category names, English lower-case colour names. */
  value: string;
  zh: string[];
  en: string[];
}

/** What a shop's catalog offers to talk about: brands, categories of every level, colours and sizes. */
export interface CatalogVocabulary {
  brands: VocabularyEntry[];
  /** Every level of the category paths; `depth` 0 is the root. */
  categories: Array<VocabularyEntry & { depth: number }>;
  colors: VocabularyEntry[];
  sizes: VocabularyEntry[];
}

/** Colours Shopwise knows in both languages: canonical (English) → Chinese and English forms. */
export const COLOR_LEXICON: Readonly<Record<string, { zh: string[]; en: string[] }>> = {
  black: { zh: ['黑色', '黑'], en: ['black'] },
  white: { zh: ['白色', '白'], en: ['white'] },
  grey: { zh: ['灰色', '灰'], en: ['grey', 'gray'] },
  red: { zh: ['红色', '红'], en: ['red'] },
  navy: { zh: ['藏青', '藏青色', '海军蓝'], en: ['navy', 'navy blue'] },
  beige: { zh: ['米色', '米白'], en: ['beige', 'cream'] },
  pink: { zh: ['粉色', '粉红色', '粉红', '粉'], en: ['pink'] },
  green: { zh: ['绿色', '绿'], en: ['green'] },
  blue: { zh: ['蓝色', '蓝'], en: ['blue'] },
  khaki: { zh: ['卡其', '卡其色'], en: ['khaki'] },
  yellow: { zh: ['黄色', '黄'], en: ['yellow'] },
  purple: { zh: ['紫色', '紫'], en: ['purple'] },
  orange: { zh: ['橙色', '橘色'], en: ['orange'] },
  brown: { zh: ['棕色', '咖啡色'], en: ['brown'] },
  silver: { zh: ['银色'], en: ['silver'] },
  gold: { zh: ['金色'], en: ['gold', 'golden'] },
};

const COLOR_BY_SURFACE = new Map<string, string>(
  Object.entries(COLOR_LEXICON).flatMap(([value, f]) => [[value, value], ...f.zh.map((s) => [s, value]), ...f.en.map((s) => [s, value])] as Array<[string, string]>),
);

/** Item attribute keys that carry a colour or a size. */
const COLOR_KEYS = ['colorEn', 'colourEn', 'color', 'colour', '颜色'];
const SIZE_KEYS = ['size', 'sizes', '尺码'];

/**
 * The canonical colour of an item (`blue`), from its attributes, or null.
 *
 * @example itemColor({ attributes: { color: '蓝色', colorEn: 'Blue' } }) // 'blue'
 */
export function itemColor(item: Pick<Item, 'attributes'>): string | null {
  const known = colorMemo.get(item.attributes);
  if (known !== undefined) return known;
  let color: string | null = null;
  for (const key of COLOR_KEYS) {
    const raw = item.attributes[key];
    if (typeof raw === 'string' && raw.trim() !== '') {
      color = canonicalColor(raw);
      break;
    }
  }
  colorMemo.set(item.attributes, color);
  return color;
}

// Items of a catalog snapshot do not change; their colours and sizes are read on every search.
const colorMemo = new WeakMap<object, string | null>();
const sizeMemo = new WeakMap<object, string[]>();

/**
 * A colour surface form (`蓝色`, `Blue`, `navy blue`) to its canonical value; unknown ones lower-cased.
 *
 * @example canonicalColor('蓝色') // 'blue'
 */
export function canonicalColor(raw: string): string {
  const s = raw.trim().toLowerCase();
  return COLOR_BY_SURFACE.get(s) ?? s;
}

/**
 * The sizes an item comes in (attribute `size` / `sizes`, a string, a comma list or an array), upper-cased.
 *
 * @example itemSizes({ attributes: { sizes: ['s', 'M'] } }) // ['S', 'M']
 */
export function itemSizes(item: Pick<Item, 'attributes'>): string[] {
  const known = sizeMemo.get(item.attributes);
  if (known) return known;
  let sizes: string[] = [];
  for (const key of SIZE_KEYS) {
    const raw = item.attributes[key];
    if (typeof raw === 'string' && raw.trim() !== '') sizes = raw.split(/[,，/、]/u).map((s) => s.trim().toUpperCase()).filter(Boolean);
    else if (Array.isArray(raw)) sizes = raw.map((s) => String(s).trim().toUpperCase()).filter(Boolean);
    else continue;
    break;
  }
  sizeMemo.set(item.attributes, sizes);
  return sizes;
}

/**
 * The item's category path in English when the item says it (`attributes.categoryPathEn`), else [].
 *
 * @example itemCategoryPathEn(item) // ['Clothing', 'Shoes', 'Sneakers']
 */
export function itemCategoryPathEn(item: Pick<Item, 'attributes'>): string[] {
  const raw = item.attributes.categoryPathEn;
  return Array.isArray(raw) ? raw.map(String) : [];
}

/**
 * The item's brand in Chinese (`attributes.brandZh`), or null.
 *
 * @example itemBrandZh(item) // '云织'
 */
export function itemBrandZh(item: Pick<Item, 'attributes'>): string | null {
  const raw = item.attributes.brandZh;
  return typeof raw === 'string' && raw !== '' ? raw : null;
}

/**
 * The item's title in `language`: the translation when the shop gave one, else the main title.
 *
 * @example itemTitle(item, 'en') // 'Yunzhi Blue Cotton Dress A123'
 */
export function itemTitle(item: Pick<Item, 'title' | 'translations'>, language: 'zh' | 'en'): string {
  if (language === 'en') return item.translations.en?.title ?? item.title;
  return item.translations.zh?.title ?? item.translations['zh-CN']?.title ?? item.title;
}

const HAN = /\p{Script=Han}/u;

/** English singular forms of a category name, so "dress" finds "Dresses". */
function englishForms(name: string): string[] {
  const lower = name.toLowerCase();
  const forms = new Set([lower]);
  if (/(ches|shes|sses|xes)$/u.test(lower)) forms.add(lower.slice(0, -2));
  else if (/ies$/u.test(lower) && lower.length > 4) forms.add(`${lower.slice(0, -3)}y`);
  else if (/ves$/u.test(lower)) forms.add(`${lower.slice(0, -3)}f`);
  else if (/[^s']s$/u.test(lower) && lower.length > 4) forms.add(lower.slice(0, -1));
  if (lower === 'mice') forms.add('mouse');
  if (lower === 'knives') forms.add('knife');
  return [...forms];
}

function addForm(map: Map<string, { zh: Set<string>; en: Set<string> }>, value: string, form: string): void {
  const entry = map.get(value) ?? { zh: new Set<string>(), en: new Set<string>() };
  map.set(value, entry);
  const trimmed = form.trim();
  if (trimmed === '') return;
  if (HAN.test(trimmed)) entry.zh.add(trimmed);
  else for (const f of englishForms(trimmed)) entry.en.add(f);
}

function entries(map: Map<string, { zh: Set<string>; en: Set<string> }>): VocabularyEntry[] {
  return [...map].map(([value, f]) => ({ value, zh: [...f.zh], en: [...f.en] })).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/**
 * Collects what the catalog offers: each brand (Chinese name from `attributes.brandZh`), each level of
 * each category path (English names from `attributes.categoryPathEn` when the shop gives them), the
 * colours and sizes items come in. Canonical values are the catalog's own (so they filter items
 * directly), except colours, which are canonical English names.
 *
 * @example const vocabulary = catalogVocabulary(items); vocabulary.brands[0] // { value: 'Yunzhi', zh: ['云织'], en: ['yunzhi'] }
 */
export function catalogVocabulary(items: readonly Item[]): CatalogVocabulary {
  const brands = new Map<string, { zh: Set<string>; en: Set<string> }>();
  const categories = new Map<string, { zh: Set<string>; en: Set<string> }>();
  const depths = new Map<string, number>();
  const colors = new Map<string, { zh: Set<string>; en: Set<string> }>();
  const sizes = new Map<string, { zh: Set<string>; en: Set<string> }>();
  for (const item of items) {
    if (item.deletedAt !== null) continue;
    if (item.brand) {
      addForm(brands, item.brand, item.brand);
      const zh = itemBrandZh(item);
      if (zh) addForm(brands, item.brand, zh);
    }
    const en = itemCategoryPathEn(item);
    item.categoryPath.forEach((name, depth) => {
      addForm(categories, name, name);
      if (en[depth]) addForm(categories, name, en[depth]!);
      if (!depths.has(name) || depths.get(name)! < depth) depths.set(name, depth);
    });
    const color = itemColor(item);
    if (color) {
      const known = COLOR_LEXICON[color];
      for (const form of known ? [...known.zh, ...known.en] : [color]) addForm(colors, color, form);
      for (const key of COLOR_KEYS) if (typeof item.attributes[key] === 'string') addForm(colors, color, item.attributes[key] as string);
    }
    for (const size of itemSizes(item)) addForm(sizes, size, size);
  }
  return {
    brands: entries(brands),
    categories: entries(categories).map((e) => ({ ...e, depth: depths.get(e.value) ?? 0 })),
    colors: entries(colors),
    sizes: entries(sizes),
  };
}
