import type { Item } from '../../core/catalog.js';
import { COLOR_LEXICON, itemColor, itemSizes, itemTitle } from '../domain/catalog-vocabulary.js';

/** The attribute names a shopper may ask about, with how to say them. */
const LABELS: Record<string, { zh: string; en: string }> = {
  material: { zh: '材质', en: 'material' }, ingredient: { zh: '成分', en: 'ingredients' }, origin: { zh: '产地', en: 'origin' },
  format: { zh: '版本', en: 'format' }, color: { zh: '颜色', en: 'colour' }, size: { zh: '尺码', en: 'sizes' }, brand: { zh: '品牌', en: 'brand' },
  price: { zh: '价格', en: 'price' }, stock: { zh: '库存', en: 'stock' },
};

/**
 * A price as the shop writes it: ¥299 for CNY (and no currency), $29.90 for USD, else `29.90 EUR`.
 *
 * @example formatPrice(62.9, 'CNY') // '¥62.9'
 */
export function formatPrice(price: number | null, currency: string | null): string {
  if (price === null) return '—';
  const amount = Number.isInteger(price) ? String(price) : price.toFixed(price * 10 === Math.round(price * 10) ? 1 : 2);
  if (!currency || currency === 'CNY') return `¥${amount}`;
  if (currency === 'USD') return `$${amount}`;
  return `${amount} ${currency}`;
}

/**
 * A colour in the reply language.
 *
 * @example colorName('blue', 'zh') // '蓝色'
 */
export function colorName(value: string, language: 'zh' | 'en'): string {
  return language === 'zh' ? COLOR_LEXICON[value]?.zh[0] ?? value : value;
}

function attributeValue(item: Item, key: string, language: 'zh' | 'en'): string | undefined {
  const en = item.attributes[`${key}En`];
  const raw = item.attributes[key];
  const value = language === 'en' && typeof en === 'string' ? en : raw;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : Array.isArray(value) ? value.join(', ') : undefined;
}

/**
 * The answer to "what is its material / price / colour / …" from the item's own fields only; when the
 * shop did not say, the answer says so (nothing is made up).
 *
 * @example itemFact(item, 'material', 'zh') // '云织 经典蓝色纯棉连衣裙 A123 的材质是纯棉。'
 */
export function itemFact(item: Item, attribute: string, language: 'zh' | 'en'): string {
  const title = itemTitle(item, language);
  const zh = language === 'zh';
  switch (attribute) {
    case 'price':
      return zh ? `${title} 的价格是 ${formatPrice(item.price, item.currency)}。` : `${title} costs ${formatPrice(item.price, item.currency)}.`;
    case 'stock':
      if (item.stock === null) return zh ? `${title} 的库存信息店铺没有提供，下单时会显示是否有货。` : `The shop has not listed stock for ${title}; checkout will show whether it is available.`;
      if (item.stock === 0) return zh ? `${title} 目前缺货。` : `${title} is out of stock right now.`;
      return zh ? `${title} 有货（库存 ${item.stock} 件）。` : `${title} is in stock (${item.stock} left).`;
    case 'brand':
      return item.brand ? (zh ? `${title} 是 ${item.attributes.brandZh ?? item.brand} 的。` : `${title} is made by ${item.brand}.`) : unknown(title, attribute, language);
    case 'color': {
      const color = itemColor(item);
      return color ? (zh ? `${title} 是${colorName(color, 'zh')}的。` : `${title} is ${color}.`) : unknown(title, attribute, language);
    }
    case 'size': {
      const sizes = itemSizes(item);
      return sizes.length > 0 ? (zh ? `${title} 有这些尺码：${sizes.join('、')}。` : `${title} comes in ${sizes.join(', ')}.`) : unknown(title, attribute, language);
    }
    case 'details':
      return details(item, language);
    default: {
      const value = attributeValue(item, attribute, language);
      const label = LABELS[attribute] ?? { zh: attribute, en: attribute };
      if (value !== undefined) return zh ? `${title} 的${label.zh}是${value}。` : `The ${label.en} of ${title} is ${value}.`;
      return unknown(title, attribute, language);
    }
  }
}

function unknown(title: string, attribute: string, language: 'zh' | 'en'): string {
  const label = LABELS[attribute] ?? { zh: attribute, en: attribute };
  return language === 'zh' ? `店铺没有写明 ${title} 的${label.zh}，我可以帮您转给客服确认。` : `The shop has not listed the ${label.en} of ${title}; I can ask a colleague to check.`;
}

function details(item: Item, language: 'zh' | 'en'): string {
  const title = itemTitle(item, language);
  const description = language === 'en' ? item.translations.en?.description ?? item.description : item.description ?? item.translations.zh?.description;
  const price = formatPrice(item.price, item.currency);
  if (language === 'zh') return `${title}，${price}。${description ?? ''}`.trim();
  return `${title}, ${price}. ${description ?? ''}`.trim();
}

/**
 * Two items side by side: price, brand and the attributes both have, in the reply language.
 *
 * @example compareItems(a, b, 'en') // 'X (¥299, Yunzhi, material Cotton) vs Y (¥359, Sujin, material Silk); X is ¥60 cheaper.'
 */
export function compareItems(a: Item, b: Item, language: 'zh' | 'en'): string {
  const keys = ['material', 'ingredient', 'origin', 'format', 'color'].filter((k) => (k === 'color' ? itemColor(a) && itemColor(b) : attributeValue(a, k, language) && attributeValue(b, k, language)));
  const facts = (item: Item) => {
    const parts = [formatPrice(item.price, item.currency)];
    if (item.brand) parts.push(language === 'zh' ? String(item.attributes.brandZh ?? item.brand) : item.brand);
    for (const k of keys) {
      const v = k === 'color' ? colorName(itemColor(item)!, language) : attributeValue(item, k, language)!;
      parts.push(language === 'zh' ? `${LABELS[k]!.zh}${v}` : `${LABELS[k]!.en} ${v}`);
    }
    return parts.join(language === 'zh' ? '，' : ', ');
  };
  const [ta, tb] = [itemTitle(a, language), itemTitle(b, language)];
  let verdict = '';
  if (a.price !== null && b.price !== null && a.price !== b.price) {
    const [cheap, diff] = a.price < b.price ? [ta, b.price - a.price] : [tb, a.price - b.price];
    verdict = language === 'zh' ? `${cheap} 便宜 ${formatPrice(Math.round(diff * 100) / 100, a.currency)}。` : ` ${cheap} is ${formatPrice(Math.round(diff * 100) / 100, a.currency)} cheaper.`;
  }
  return language === 'zh' ? `${ta}（${facts(a)}）对比 ${tb}（${facts(b)}）。${verdict}` : `${ta} (${facts(a)}) vs ${tb} (${facts(b)}).${verdict}`;
}
