import type { ItemInput } from '../../core/catalog.js';
import { SeededRandom } from '../../math/random.js';
import { CATEGORY_TREE } from '../../simulate/vocabulary/categories.js';
import { type Backdrop, type Palette, type Part, type Placement, render, type Rgb } from './draw.js';
import { encodePng, type RgbImage } from './image-codec.js';
import type { ImageFiles } from './image-files.js';
import { type Design, DEVICES, WEAR } from './product-shapes.js';
import { BOOKS, CARE, FOOD, GEAR } from './product-shapes-more.js';

/** Designs by subcategory (the demo tree's Chinese names). */
const DESIGNS: Record<string, Design> = { ...WEAR, ...DEVICES, ...CARE, ...FOOD, ...GEAR, ...BOOKS };
const DESIGN_LIST = Object.values(DESIGNS);

/** Leaf index within its subcategory, by "sub/leaf" (Chinese names), for the demo tree. */
const LEAF_VARIANT = new Map<string, number>();
for (const top of CATEGORY_TREE) for (const sub of top.subs) sub.leaves.forEach((leaf, i) => LEAF_VARIANT.set(`${sub.zh}/${leaf.zh}`, i));

/** RGB of the demo catalog's colours, by Chinese and English name (lower case). @example COLOUR_RGB.red // [200, 36, 42] */
export const COLOUR_RGB: Record<string, Rgb> = {};
for (const [zh, en, rgb] of [
  ['黑色', 'black', [34, 34, 38]], ['白色', 'white', [242, 242, 238]], ['灰色', 'grey', [135, 137, 142]], ['红色', 'red', [200, 36, 42]],
  ['藏青', 'navy', [30, 42, 96]], ['米色', 'beige', [222, 202, 162]], ['粉色', 'pink', [240, 150, 182]], ['绿色', 'green', [48, 150, 72]],
  ['蓝色', 'blue', [44, 106, 214]], ['卡其', 'khaki', [176, 156, 100]],
] as const) {
  COLOUR_RGB[zh] = rgb;
  COLOUR_RGB[en] = rgb;
}

/**
 * The colour name of an item, lower case, from `attributes.colorEn` / `colourEn` / `color` / `colour` (undefined when it has none).
 *
 * @example colourName({ attributes: { colorEn: 'Navy' } }) // 'navy'
 */
export function colourName(item: Pick<ItemInput, 'attributes'>): string | undefined {
  const a = item.attributes ?? {};
  for (const key of ['colorEn', 'colourEn', 'color', 'colour']) {
    const v = a[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim().toLowerCase();
  }
  return undefined;
}

/**
 * Which design and variant draws an item: its subcategory's (demo tree), else one picked by a hash of its path.
 *
 * @example designOf(['服装', '鞋靴', '靴子']).variant // 2 (boots: the 3rd leaf of 鞋靴)
 */
export function designOf(categoryPath: readonly string[]): { design: Design; variant: number } {
  const [top = '', sub = '', leaf = ''] = categoryPath;
  const design = DESIGNS[sub] ?? DESIGN_LIST[hash(`${top}/${sub}`) % DESIGN_LIST.length]!;
  return { design, variant: LEAF_VARIANT.get(`${sub}/${leaf}`) ?? hash(leaf) % 4 };
}

export interface PictureOptions {
  /** Picture side in pixels (default 64). */
  size?: number;
  /** Seed of the "photo": placement, backdrop, lighting, noise. Default: the item id (one fixed picture per item). */
  shot?: string;
}

/**
 * Draws a product picture of an item: its subcategory's shape (leaf variant), filled with its colour
 * (`attributes.colorEn` / `color`; items without one get a colour from a palette of their leaf, per
 * item), placed, scaled and mirrored at random on a light gradient backdrop with a shadow, lighting
 * and sensor noise, all drawn from a generator seeded by `shot`. Another shot of the same item is
 * another photo of the same product.
 *
 * @example const image = productPicture(item); const another = productPicture(item, { shot: 'query-1' });
 */
export function productPicture(item: Pick<ItemInput, 'id' | 'categoryPath' | 'attributes'>, options: PictureOptions = {}): RgbImage {
  const size = options.size ?? 64;
  const rng = new SeededRandom(`picture:${item.id}:${options.shot ?? ''}`);
  const path = item.categoryPath ?? [];
  const { design, variant } = designOf(path);
  const parts: Part[] = design(variant);
  const palette: Palette = { main: itemColour(item, path), accent: [45, 45, 50] };
  const light = rng.range(0.9, 1.08);
  palette.main = palette.main.map((c) => Math.min(255, c * light * rng.range(0.96, 1.04))) as unknown as Rgb;
  const placement: Placement = { dx: rng.range(-0.08, 0.08), dy: rng.range(-0.06, 0.06), scale: rng.range(0.78, 1.04), flip: rng.bernoulli(0.5) };
  const backdrop = randomBackdrop(rng);
  const image = render(parts, palette, placement, backdrop, size);
  addNoise(image.data, rng.range(2, 7), rng.nextUint32());
  return image;
}

/** The URL of an item's stored picture in the HTTP API (`GET /v1/items/:id/image`). @example itemImageUrl('p-00001') // '/v1/items/p-00001/image' */
export function itemImageUrl(itemId: string): string {
  return `/v1/items/${encodeURIComponent(itemId)}/image`;
}

/**
 * Draws every item's picture (`productPicture`, 64 × 64), stores it as a PNG under the data dir and
 * returns the items with `imageUrl` pointing at `GET /v1/items/:id/image`. What the demo fill runs.
 *
 * @example const { items } = writeDemoImages(new ImageFiles(config.dataDir), 'demo', shop.items);
 */
export function writeDemoImages<T extends Pick<ItemInput, 'id' | 'categoryPath' | 'attributes'>>(
  files: ImageFiles, workspaceId: string, items: readonly T[], size = 64,
): { items: (T & { imageUrl: string })[]; written: number; seconds: number } {
  const started = performance.now();
  const out = items.map((item) => {
    files.write(workspaceId, item.id, encodePng(productPicture(item, { size })));
    return { ...item, imageUrl: itemImageUrl(item.id) };
  });
  return { items: out, written: out.length, seconds: Math.round(performance.now() - started) / 1000 };
}

/** Sensor noise: triangular (sum of two uniforms) of standard deviation `sigma`, from an inline xorshift32 (fast). */
function addNoise(data: Uint8Array, sigma: number, seed: number): void {
  let s = seed | 1;
  const k = (sigma * Math.sqrt(6)) / 4294967296;
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const a = s >>> 0;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const v = data[i]! + (a + (s >>> 0) - 4294967296) * k;
    data[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
}

function itemColour(item: Pick<ItemInput, 'id' | 'attributes'>, path: readonly string[]): Rgb {
  const name = colourName(item);
  if (name !== undefined) return COLOUR_RGB[name] ?? hueColour(hash(name) / 0xffffffff, 0.65, 0.55);
  // No colour attribute (food, beauty, books): one of three hues of the leaf, per item.
  const leafHue = hash(path.join('/')) / 0xffffffff;
  const k = hash(item.id) % 3;
  return hueColour((leafHue + k * 0.33) % 1, 0.6, 0.5);
}

function randomBackdrop(rng: SeededRandom): Backdrop {
  const base = (): Rgb => {
    const kind = rng.int(3);
    if (kind === 0) return [rng.range(235, 252), rng.range(235, 252), rng.range(235, 252)];
    const c = hueColour(rng.next(), rng.range(0.1, 0.3), rng.range(0.82, 0.93));
    return kind === 1 ? c : [rng.range(200, 225), rng.range(200, 225), rng.range(200, 225)];
  };
  const top = base();
  const f = rng.range(0.85, 1);
  return { top, bottom: [top[0] * f, top[1] * f, top[2] * f], shadow: rng.bernoulli(0.7) ? rng.range(0.4, 1) : 0 };
}

/** HSL to RGB, each of h, s, l in [0, 1]. */
function hueColour(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return [f(0), f(8), f(4)];
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
