import type { ItemInput } from '../core/catalog.js';
import { AliasTable, type SeededRandom } from '../math/random.js';
import { CATEGORY_TREE, type FlatLeaf, type Word, flattenLeaves } from './vocabulary/categories.js';
import { type BrandSpec, COLORS, TOP_WORDS } from './vocabulary/words.js';

const DAY = 86_400_000;

/** A brand with the top category it sells in. */
export interface FlatBrand extends BrandSpec {
  index: number;
  top: number;
}

/**
 * The catalog as the simulator sees it: the items as written to the shop, plus their latent
 * properties in typed arrays indexed like `items` (quality and popularity are never shown to the shop).
 */
export interface CatalogModel {
  items: ItemInput[];
  leaves: FlatLeaf[];
  brands: FlatBrand[];
  /** Leaf index of each item. */
  leaf: Int32Array;
  /** Brand index (into `brands`) of each item. */
  brand: Int32Array;
  price: Float64Array;
  /** ln(price / median price of the item's leaf): how expensive the item is for its kind. */
  logPriceRatio: Float64Array;
  /** Latent quality, about N(0, 1); drives ratings and purchase decisions. */
  quality: Float64Array;
  /** Latent appeal (lognormal); drives how often an item is seen. */
  popularity: Float64Array;
  /** Epoch ms the item was listed; it is not seen before. */
  createdAt: Float64Array;
  /** Item indices of each leaf. */
  byLeaf: Int32Array[];
  /** Draws an item index in proportion to popularity (trending lists, home page). */
  popular: AliasTable;
}

/**
 * Generates `count` items over the bilingual category tree: Chinese title in `title`, English in
 * `translations.en`, 3-level `categoryPath`, brand, lognormal price around the leaf's median scaled by
 * the brand's tier, tags, colour and material attributes, stock, a few sponsored items, and listing
 * times (most before `start`, some during the simulated window so there are new items).
 *
 * @example const catalog = generateCatalog(new SeededRandom(42).fork('catalog'), 3000, Date.UTC(2026, 9, 2), 30);
 */
export function generateCatalog(rng: SeededRandom, count: number, start: number, days: number): CatalogModel {
  const leaves = flattenLeaves();
  const brands: FlatBrand[] = [];
  TOP_WORDS.forEach((words, top) => words.brands.forEach((b) => brands.push({ ...b, index: brands.length, top })));
  const brandsOfTop = CATEGORY_TREE.map((_, top) => brands.filter((b) => b.top === top));
  // Some brands and leaves are bigger than others.
  const brandWeight = brands.map(() => rng.gamma(1.5));
  const leafWeight = leaves.map(() => rng.gamma(3));
  const leafTable = new AliasTable(leafWeight);
  const leafOfItem = new Int32Array(count);
  for (let i = 0; i < count; i++) leafOfItem[i] = i < leaves.length ? i : leafTable.sample(rng);
  rng.shuffle(leafOfItem);

  const model: CatalogModel = {
    items: new Array<ItemInput>(count), leaves, brands, leaf: leafOfItem, brand: new Int32Array(count),
    price: new Float64Array(count), logPriceRatio: new Float64Array(count), quality: new Float64Array(count),
    popularity: new Float64Array(count), createdAt: new Float64Array(count), byLeaf: [], popular: undefined as unknown as AliasTable,
  };
  const width = String(count).length;
  for (let i = 0; i < count; i++) {
    const leaf = leaves[leafOfItem[i]!]!;
    const words = TOP_WORDS[leaf.top]!;
    const topBrands = brandsOfTop[leaf.top]!;
    const brand = topBrands[rng.categorical(topBrands.map((b) => brandWeight[b.index]!))]!;
    const price = roundPrice(leaf.price * brand.tier * rng.lognormal(0, 0.35));
    const quality = rng.normal(0.8 * (brand.tier - 1), 0.9);
    const listedInWindow = rng.bernoulli(0.1);
    const createdAt = Math.round(listedInWindow ? start + rng.range(0, 0.9) * days * DAY : start - Math.min(730 * DAY, rng.exponential(1 / (180 * DAY))) - DAY);
    model.brand[i] = brand.index;
    model.price[i] = price;
    model.logPriceRatio[i] = Math.log(price / leaf.price);
    model.quality[i] = quality;
    model.popularity[i] = rng.lognormal(0.3 * quality, 1);
    model.createdAt[i] = createdAt;
    const id = `p-${String(i + 1).padStart(Math.max(5, width), '0')}`;
    model.items[i] = describeItem(rng, id, leaf, brand, words.adjectives, words.attribute, words.colored, words.sellingPoints, price, createdAt);
  }
  const lists = leaves.map(() => [] as number[]);
  for (let i = 0; i < count; i++) lists[leafOfItem[i]!]!.push(i);
  model.byLeaf = lists.map((list) => Int32Array.from(list));
  model.popular = new AliasTable(model.popularity);
  return model;
}

function describeItem(
  rng: SeededRandom, id: string, leaf: FlatLeaf, brand: FlatBrand, adjectives: Word[],
  attribute: (typeof TOP_WORDS)[number]['attribute'], colored: boolean, sellingPoints: Word[], price: number, createdAt: number,
): ItemInput {
  const adjective = rng.pick(adjectives);
  const value = rng.pick(attribute.values);
  const color = colored ? rng.pick(COLORS) : undefined;
  const model = `${rng.pick(['A', 'K', 'M', 'S', 'X', 'Z'])}${100 + rng.int(900)}`;
  const [point1, point2] = rng.sampleWithoutReplacement(sellingPoints, 2) as [Word, Word];
  const titleZh = `${brand.zh} ${adjective[0]}${color?.[0] ?? ''}${value[0]}${leaf.zh} ${model}`;
  const titleEn = [brand.en, adjective[1], color?.[1], value[1], leaf.noun, model].filter(Boolean).join(' ');
  const descriptionZh = `${brand.zh}${leaf.zh}，${adjective[0]}设计，${attribute.zh}：${value[0]}${color ? `，颜色：${color[0]}` : ''}。${point1[0]}，${point2[0]}。`;
  const descriptionEn = `${adjective[1]} ${leaf.noun.toLowerCase()} by ${brand.en}, ${attribute.en}: ${value[1]}${color ? `, colour: ${color[1]}` : ''}. ${capitalise(point1[1])}; ${point2[1]}.`;
  const attributes: Record<string, unknown> = { [attribute.key]: value[0], [`${attribute.key}En`]: value[1] };
  if (color) Object.assign(attributes, { color: color[0], colorEn: color[1] });
  Object.assign(attributes, { brandZh: brand.zh, categoryPathEn: leaf.pathEn, model });
  const tags = [...new Set([leaf.zh, leaf.en.toLowerCase(), adjective[0], adjective[1].toLowerCase(), value[0], value[1].toLowerCase(), ...(color ? [color[0], color[1].toLowerCase()] : [])])];
  return {
    id, title: titleZh, description: descriptionZh, translations: { en: { title: titleEn, description: descriptionEn } },
    categoryPath: [...leaf.pathZh], brand: brand.en, price, currency: 'CNY', tags, imageUrl: `/demo-images/${id}.svg`, attributes,
    stock: rng.bernoulli(0.03) ? 0 : Math.max(1, Math.round(rng.lognormal(Math.log(200), 1))),
    sponsored: rng.bernoulli(0.03), createdAt,
  };
}

/** Shop-style prices: 62.9 below 100, 299 below 1000, 2999 above. */
function roundPrice(p: number): number {
  if (p < 10) return Math.max(0.9, Math.round(p) - 0.1);
  if (p < 100) return Math.round(p) - 0.1;
  if (p < 1000) return Math.round(p / 10) * 10 - 1;
  return Math.round(p / 100) * 100 - 1;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
