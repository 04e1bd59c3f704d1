import type { Item } from '../../core/catalog.js';
import type { NluResult, Slot } from '../nlu.js';
import type { CatalogSnapshot } from '../catalog-cache.js';
import { itemColor, itemSizes } from '../domain/catalog-vocabulary.js';
import type { SearchSlots } from './search-slots.js';

export type { SearchSlots } from './search-slots.js';

/** A product as it was shown in a turn. */
export interface ShownItem {
  id: string;
  price: number | null;
  brand: string | null;
}

/** One session's dialog state. */
export interface DialogState {
  workspaceId: string;
  sessionId: string;
  userId?: string;
  turn: number;
  language: 'zh' | 'en';
  slots: SearchSlots;
  /** Products of the last turn that showed any, in order. */
  lastShown: ShownItem[];
  /** The item the shopper is talking about (an ordinal, or the only one shown). */
  focus?: string;
  /** Consecutive turns that failed (nothing found, a reference that resolves to nothing, nothing understood). */
  failures: number;
  /** The last request (intent and slots) and how many turns in a row asked it. */
  lastRequest?: string;
  repeats: number;
  /** Set when the shopper was told which order-related thing we need (an order number). */
  awaiting?: 'order_status' | 'return_refund';
  /** Turn ids of this session, latest last (feedback must name one). */
  turnIds: string[];
  handedOff: boolean;
  updatedAt: number;
}

/** What this turn did to the state, for the policy. */
export interface TurnUpdate {
  /** The intent acted on: the classifier's, unless context overrides it (see updateState). */
  intent: string;
  /** Search slots this turn changed: category, brand, color, size, price, cheaper, pricier, exclude_brand. */
  changed: string[];
  /** Slots reset because the category changed. */
  reset: string[];
  /** Items the turn's ordinals point at, in order (resolved against the products last shown). */
  referenced: string[];
  /** An ordinal pointed past the products shown. */
  unresolvedReference: boolean;
  attribute?: string;
  orderId?: string;
}

const SHOPPING_SLOTS = new Set(['category', 'brand', 'color', 'size', 'price_min', 'price_max', 'price_relative', 'exclude_brand']);
const SEARCHING = new Set(['search_product', 'refine']);
const SOCIAL = new Set(['greeting', 'thanks', 'goodbye']);

/**
 * A fresh state for a session.
 *
 * @example const state = newDialogState('demo', 'session-1', Date.now());
 */
export function newDialogState(workspaceId: string, sessionId: string, now: number): DialogState {
  return { workspaceId, sessionId, turn: 0, language: 'zh', slots: { excludedBrands: [] }, lastShown: [], failures: 0, repeats: 0, turnIds: [], handedOff: false, updatedAt: now };
}

function inCategory(item: Item, category: string): boolean {
  return item.categoryPath.includes(category);
}

/**
 * Applies one parsed utterance to the state (mutating it) and says what changed:
 * - search and refine turns carry their slots over: a colour, brand or size replaces the old one, an
 *   explicit price replaces both bounds;
 * - "cheaper" / "便宜点" puts `priceMax` under the cheapest product last shown ("more expensive": `priceMin`
 *   over the dearest); before anything was shown it sorts cheapest first;
 * - "not this brand" / "不要这个牌子" excludes the brand in the slots, else the focused item's, else the first
 *   shown item's; "不要 X" excludes X;
 * - a new category resets the slots it makes incompatible: size and price always, brand and colour when no
 *   item of the new category has them, the exclusions;
 * - ordinals resolve against the products last shown ("the second one" → the 2nd), setting the focus;
 * - an out-of-scope utterance that names shopping slots is taken as a search (or a refine of the last one),
 *   and an order number after we asked for one continues that request.
 *
 * @example const update = updateState(state, await nlu.parse('便宜点的'), catalog);
 */
export function updateState(state: DialogState, nlu: NluResult, catalog: Pick<CatalogSnapshot, 'items' | 'byId' | 'vocabulary'>): TurnUpdate {
  const by = (type: string) => nlu.slots.filter((s) => s.type === type);
  const update: TurnUpdate = { intent: nlu.intent.name, changed: [], reset: [], referenced: [], unresolvedReference: false };
  const hasShopping = nlu.slots.some((s) => SHOPPING_SLOTS.has(s.type));
  const orderId = by('order_id')[0]?.value;
  if (orderId) update.orderId = orderId;
  if (state.awaiting && orderId && !['human_agent', 'complaint'].includes(update.intent)) update.intent = state.awaiting;
  // Unsure, but it names what to shop for: a search. A confident out_of_scope stays out of scope ("book me a flight").
  else if (nlu.outOfScope && hasShopping && !(nlu.intent.name === 'out_of_scope' && nlu.intent.confidence >= 0.5)) update.intent = state.slots.category ? 'refine' : 'search_product';
  else if (nlu.outOfScope) update.intent = 'out_of_scope';
  update.attribute = by('attribute')[0]?.value;

  for (const o of by('ordinal')) {
    const index = o.value === 'last' ? state.lastShown.length - 1 : Number(o.value) - 1;
    const item = state.lastShown[index];
    if (item) update.referenced.push(item.id);
    else update.unresolvedReference = true;
  }
  if (update.referenced.length > 0) state.focus = update.referenced[update.referenced.length - 1];
  // "the second one" on its own, when the classifier is unsure what is wanted of it: tell about that item.
  const onlyReference = update.referenced.length === 1 && nlu.slots.every((s) => s.type === 'ordinal');
  if (onlyReference && (nlu.outOfScope || nlu.intent.confidence < 0.6)) {
    update.intent = 'ask_attribute';
    update.attribute ??= 'details';
  }
  else if (update.intent === 'ask_attribute' || update.intent === 'add_to_cart') {
    if (!state.focus && state.lastShown.length === 1) state.focus = state.lastShown[0]!.id;
  }

  if (SEARCHING.has(update.intent)) applySearchSlots(state, nlu.slots, catalog, update);
  const key = requestKey(update.intent, state);
  state.repeats = SOCIAL.has(update.intent) ? 0 : key === state.lastRequest ? state.repeats + 1 : 1;
  state.lastRequest = key;
  return update;
}

function applySearchSlots(state: DialogState, slots: readonly Slot[], catalog: Pick<CatalogSnapshot, 'items' | 'byId' | 'vocabulary'>, update: TurnUpdate): void {
  const s = state.slots;
  const by = (type: string) => slots.filter((x) => x.type === type);
  const categories = by('category');
  if (categories.length > 0) {
    const depth = new Map(catalog.vocabulary.categories.map((c) => [c.value, c.depth]));
    const chosen = categories.reduce((a, b) => ((depth.get(b.value) ?? 0) >= (depth.get(a.value) ?? 0) ? b : a)).value;
    if (chosen !== s.category) {
      if (s.size !== undefined) update.reset.push('size');
      if (s.priceMin !== undefined || s.priceMax !== undefined) update.reset.push('price');
      if (s.brand && !catalog.items.some((i) => i.brand === s.brand && inCategory(i, chosen))) update.reset.push('brand');
      if (s.color && !catalog.items.some((i) => itemColor(i) === s.color && inCategory(i, chosen))) update.reset.push('color');
      if (s.excludedBrands.length > 0) update.reset.push('exclude_brand');
      if (s.category !== undefined) {
        delete s.size;
        delete s.priceMin;
        delete s.priceMax;
        delete s.sort;
        s.excludedBrands = [];
        if (update.reset.includes('brand')) delete s.brand;
        if (update.reset.includes('color')) delete s.color;
      }
      s.category = chosen;
      update.changed.push('category');
    }
  }
  const brand = by('brand').pop();
  if (brand) {
    s.brand = brand.value;
    s.excludedBrands = s.excludedBrands.filter((b) => b !== brand.value);
    update.changed.push('brand');
  }
  for (const ex of by('exclude_brand')) {
    const target = ex.value !== 'this' ? ex.value : s.brand ?? (state.focus ? catalog.byId.get(state.focus)?.brand : undefined) ?? state.lastShown.find((i) => i.brand)?.brand ?? undefined;
    if (!target) continue;
    if (!s.excludedBrands.includes(target)) s.excludedBrands.push(target);
    if (s.brand === target) delete s.brand;
    update.changed.push('exclude_brand');
  }
  const color = by('color').pop();
  if (color) {
    s.color = color.value;
    update.changed.push('color');
  }
  const size = by('size').pop();
  if (size && (!s.category || catalog.items.some((i) => inCategory(i, s.category!) && itemSizes(i).includes(size.value)) || catalog.items.every((i) => itemSizes(i).length === 0))) {
    s.size = size.value;
    update.changed.push('size');
  }
  const min = by('price_min').pop();
  const max = by('price_max').pop();
  if (min || max) {
    s.priceMin = min ? Number(min.value) : undefined;
    s.priceMax = max ? Number(max.value) : undefined;
    delete s.sort;
    update.changed.push('price');
  }
  const relative = by('price_relative').pop();
  if (relative) {
    const prices = state.lastShown.map((i) => i.price).filter((p): p is number => p !== null);
    if (relative.value === 'lower') {
      if (prices.length > 0) {
        // Under everything shown (when nothing is, the search says so: those were the cheapest).
        s.priceMax = Math.round((Math.min(...prices) - 0.01) * 100) / 100;
        if (s.priceMin !== undefined && s.priceMin >= s.priceMax) delete s.priceMin;
      } else s.sort = 'price_asc';
      update.changed.push('cheaper');
    } else {
      if (prices.length > 0) {
        s.priceMin = Math.round((Math.max(...prices) + 0.01) * 100) / 100;
        if (s.priceMax !== undefined && s.priceMax <= s.priceMin) delete s.priceMax;
      } else s.sort = 'price_desc';
      update.changed.push('pricier');
    }
  }
}

/** The request a turn makes, to notice the same one asked again and again. */
function requestKey(intent: string, state: DialogState): string {
  const { excludedBrands, ...rest } = state.slots;
  return JSON.stringify([SEARCHING.has(intent) ? 'search' : intent, rest, [...excludedBrands].sort(), SEARCHING.has(intent) ? '' : state.focus ?? '']);
}
