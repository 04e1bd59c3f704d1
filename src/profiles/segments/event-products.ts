import type { StoredEvent } from '../../core/events.js';
import { forEachProduct } from '../apply-event.js';
import type { ItemAttributes } from '../catalog-source.js';
import { INTEREST_KIND } from '../profile-layout.js';
import { CATEGORY_SEPARATOR, type WorkspaceState } from '../workspace-state.js';
import type { ProductFacts } from './behaviour-tracks.js';

/**
 * The products an event names (productId, products[]) with the attributes a behaviour filter needs:
 * from the catalog when it has the item (`lookup`), else from the event's own category / brand / tags
 * properties — the same fallback the profile processor uses.
 *
 * @example productsOf(event, (id) => catalog.get(id))
 */
export function productsOf(e: Pick<StoredEvent, 'properties'>, lookup: (itemId: string) => ItemAttributes | undefined): ProductFacts[] {
  const out: ProductFacts[] = [];
  forEachProduct(e.properties, (itemId) => {
    const item = lookup(itemId);
    out.push(item ? { itemId, categoryPath: item.categoryPath, brand: item.brand, tags: item.tags } : { itemId, ...fromProperties(e.properties) });
  });
  return out;
}

/**
 * Item attributes from the processor's item cache (filled before each batch), decoded from its terms.
 *
 * @example productsOf(event, cachedItems(ref.ws))
 */
export function cachedItems(ws: WorkspaceState): (itemId: string) => ItemAttributes | undefined {
  return (itemId) => {
    const cached = ws.itemCache.get(itemId);
    if (!cached?.found) return undefined;
    let categoryPath: string[] = [];
    let brand: string | null = null;
    const tags: string[] = [];
    for (const key of cached.terms) {
      const kind = key & 3;
      const name = ws.termName(key);
      if (kind === INTEREST_KIND.category) {
        const path = name.split(CATEGORY_SEPARATOR);
        if (path.length > categoryPath.length) categoryPath = path;
      } else if (kind === INTEREST_KIND.brand) brand = name;
      else tags.push(name);
    }
    return { categoryPath, brand, tags, price: Number.isFinite(cached.price) ? cached.price : null };
  };
}

function fromProperties(props: Record<string, unknown>): Omit<ProductFacts, 'itemId'> {
  const category = props.category;
  const categoryPath = Array.isArray(category) ? category.filter((c): c is string => typeof c === 'string')
    : typeof category === 'string' ? category.split(category.includes('>') ? '>' : '/').map((s) => s.trim()).filter(Boolean) : [];
  const tags = Array.isArray(props.tags) ? props.tags.filter((t): t is string => typeof t === 'string') : [];
  return { categoryPath, brand: typeof props.brand === 'string' ? props.brand : null, tags };
}

/**
 * True when the event names a product (productId or products[]), as forEachProduct reads them.
 *
 * @example namesProduct({ properties: { productId: 'sku-1' } }) // true
 */
export function namesProduct(e: Pick<StoredEvent, 'properties'>): boolean {
  const p = e.properties;
  return (typeof p.productId === 'string' && p.productId !== '') || (Array.isArray(p.products) && p.products.length > 0);
}
