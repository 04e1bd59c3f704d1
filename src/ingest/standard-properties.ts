/**
 * Checks the properties of the standard e-commerce events (see STANDARD_EVENTS in core/events.ts).
 * Only what later stages rely on is required; everything else is free-form.
 */
type Problem = { field: string; message: string } | undefined;
type Check = (properties: Record<string, unknown>) => Problem;

const isId = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 128) || (typeof v === 'number' && Number.isFinite(v));
const isAmount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

const needsProduct: Check = (p) => (isId(p.productId) ? optionalAmount(p, 'price') : { field: '/productId', message: 'productId (string or number) is required' });

function optionalAmount(p: Record<string, unknown>, key: string): Problem {
  return p[key] === undefined || isAmount(p[key]) ? undefined : { field: `/${key}`, message: `${key} must be a number ≥ 0` };
}

const checks: Record<string, Check> = {
  'Product Viewed': needsProduct,
  'Product Clicked': needsProduct,
  'Product Added': (p) => needsProduct(p) ?? (p.quantity === undefined || (Number.isInteger(p.quantity) && (p.quantity as number) > 0) ? undefined : { field: '/quantity', message: 'quantity must be a positive integer' }),
  'Product Removed': needsProduct,
  'Product Liked': needsProduct,
  'Product Shared': needsProduct,
  'Products Searched': (p) => (typeof p.query === 'string' && p.query.trim() !== '' ? undefined : { field: '/query', message: 'query (non-empty string) is required' }),
  'Review Submitted': (p) => needsProduct(p) ?? (p.rating === undefined || (typeof p.rating === 'number' && p.rating >= 1 && p.rating <= 5)
    ? (p.text === undefined || typeof p.text === 'string' ? undefined : { field: '/text', message: 'text must be a string' })
    : { field: '/rating', message: 'rating must be a number from 1 to 5' }),
  'Order Completed': (p) => {
    const revenue = optionalAmount(p, 'revenue');
    if (revenue) return revenue;
    if (p.products === undefined) return undefined;
    if (!Array.isArray(p.products)) return { field: '/products', message: 'products must be an array of { productId, quantity?, price? }' };
    for (let i = 0; i < p.products.length; i++) {
      const line = p.products[i] as Record<string, unknown> | null;
      if (typeof line !== 'object' || line === null) return { field: `/products/${i}`, message: 'each product must be an object' };
      const problem = needsProduct(line) ?? (line.quantity === undefined || (Number.isInteger(line.quantity) && (line.quantity as number) > 0) ? undefined : { field: '/quantity', message: 'quantity must be a positive integer' });
      if (problem) return { field: `/products/${i}${problem.field}`, message: problem.message };
    }
    return undefined;
  },
  'Promotion Viewed': (p) => (isId(p.promotionId) ? undefined : { field: '/promotionId', message: 'promotionId is required' }),
  'Promotion Clicked': (p) => (isId(p.promotionId) ? undefined : { field: '/promotionId', message: 'promotionId is required' }),
  'Recommendation Shown': (p) => (Array.isArray(p.productIds) && p.productIds.every(isId) ? undefined : { field: '/productIds', message: 'productIds must be an array of ids' }),
  'Recommendation Clicked': needsProduct,
};

/** The first problem with the properties of a standard event, or undefined when they are fine (or the event is not standard). */
export function checkStandardProperties(event: string, properties: Record<string, unknown>): Problem {
  return checks[event]?.(properties);
}
