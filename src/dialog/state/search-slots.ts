import type { Item } from '../../core/catalog.js';
import { itemColor, itemSizes } from '../domain/catalog-vocabulary.js';

/** What the shopper is looking for, carried across turns. */
export interface SearchSlots {
  category?: string;
  brand?: string;
  color?: string;
  size?: string;
  priceMin?: number;
  priceMax?: number;
  /** Brands the shopper turned down ("不要这个牌子"). */
  excludedBrands: string[];
  /** Cheapest first when the shopper asked for cheaper before anything was shown. */
  sort?: 'price_asc' | 'price_desc';
}

/**
 * Whether an item satisfies the search slots: in the category (any level of its path), of the brand,
 * not of an excluded brand, in the colour and size, and within the price bounds.
 *
 * @example matchesSlots(item, { category: '运动鞋', color: 'blue', priceMax: 300, excludedBrands: [] })
 */
export function matchesSlots(item: Item, slots: SearchSlots): boolean {
  if (slots.category && !item.categoryPath.includes(slots.category)) return false;
  if (slots.brand && item.brand !== slots.brand) return false;
  if (item.brand && slots.excludedBrands.includes(item.brand)) return false;
  if (slots.color && itemColor(item) !== slots.color) return false;
  if (slots.size && itemSizes(item).length > 0 && !itemSizes(item).includes(slots.size)) return false;
  if (slots.priceMin !== undefined || slots.priceMax !== undefined) {
    if (item.price === null) return false;
    if (slots.priceMin !== undefined && item.price < slots.priceMin) return false;
    if (slots.priceMax !== undefined && item.price > slots.priceMax) return false;
  }
  return true;
}

