/**
 * Realistic shop events for load and crash tests: a few thousand users (some still anonymous, some
 * identifying themselves), a catalog of products, the standard e-commerce events in plausible
 * proportions, contexts from every channel, and unique messageIds `<prefix>-<n>`.
 * Seeded, so two runs send the same traffic.
 *
 * @example const events = new EventFactory({ seed: 1, prefix: 'bench-a1' }); const body = JSON.stringify(events.next());
 */
export class EventFactory {
  private readonly random: () => number;
  private n = 0;
  private readonly users: number;
  private readonly products: number;
  private readonly prefix: string;
  private readonly now = Date.now();

  constructor(options: { seed: number; prefix: string; users?: number; products?: number }) {
    this.random = mulberry32(options.seed);
    this.prefix = options.prefix;
    this.users = options.users ?? 5000;
    this.products = options.products ?? 2000;
  }

  /** How many events were made (the next messageId's number). */
  get count(): number {
    return this.n;
  }

  next(): Record<string, unknown> {
    const r = this.random;
    const messageId = `${this.prefix}-${this.n++}`;
    const user = Math.floor(r() ** 2 * this.users); // a few heavy users, a long tail
    const anonymous = r() < 0.2;
    const who = anonymous ? { anonymousId: `anon-${user}` } : { userId: `u${user}` };
    const context = {
      channel: pick(r, CHANNELS), locale: r() < 0.6 ? 'zh-CN' : 'en-US', sessionId: `s${user}-${Math.floor(this.n / 50)}`,
      userAgent: 'Mozilla/5.0 (bench)', ip: `10.0.${user % 256}.${(user >> 8) % 256}`,
    };
    const timestamp = new Date(this.now - Math.floor(r() * 86_400_000)).toISOString();
    const productId = `p${Math.floor(r() ** 1.5 * this.products)}`;
    const price = Math.round(r() * 50_000) / 100;
    const kind = r();
    const base = { messageId, timestamp, context, ...who };
    if (kind < 0.5) return { ...base, type: 'track', event: 'Product Viewed', properties: { productId, price, category: pick(r, CATEGORIES), position: Math.floor(r() * 20) } };
    if (kind < 0.62) return { ...base, type: 'track', event: 'Product Clicked', properties: { productId, position: Math.floor(r() * 20), list: 'search results' } };
    if (kind < 0.7) return { ...base, type: 'track', event: 'Product Added', properties: { productId, price, quantity: 1 + Math.floor(r() * 3) } };
    if (kind < 0.78) return { ...base, type: 'track', event: 'Products Searched', properties: { query: pick(r, QUERIES) } };
    if (kind < 0.86) return { ...base, type: 'page', name: pick(r, PAGES), properties: { path: `/${pick(r, PAGES).toLowerCase()}`, referrer: 'https://www.baidu.com/' } };
    if (kind < 0.89) {
      const lines = 1 + Math.floor(r() * 3);
      const products = Array.from({ length: lines }, () => ({ productId: `p${Math.floor(r() * this.products)}`, quantity: 1 + Math.floor(r() * 2), price }));
      return { ...base, type: 'track', event: 'Order Completed', properties: { orderId: `o-${messageId}`, revenue: Math.round(price * lines * 100) / 100, currency: 'CNY', products } };
    }
    if (kind < 0.93) return { ...base, type: 'track', event: 'Product Liked', properties: { productId } };
    if (kind < 0.95) return { ...base, type: 'track', event: 'Review Submitted', properties: { productId, rating: 1 + Math.floor(r() * 5), text: '质量很好，物流很快 / great quality' } };
    if (kind < 0.98) return { ...base, type: 'track', event: 'Promotion Viewed', properties: { promotionId: `promo-${Math.floor(r() * 20)}`, creative: 'banner-a' } };
    // Identify links the anonymous id to the user, which re-attributes that id's earlier events.
    return { ...base, type: 'identify', userId: `u${user}`, anonymousId: `anon-${user}`, traits: { gender: r() < 0.5 ? 'f' : 'm', city: pick(r, CITIES) } };
  }
}

const CHANNELS = ['web', 'app', 'mini-program', 'social', 'search'] as const;
const CATEGORIES = ['Women > Dresses', 'Men > Shoes', 'Home > Kitchen', 'Electronics > Phones', 'Beauty > Skincare'];
const QUERIES = ['连衣裙', 'running shoes', '手机壳', 'coffee grinder', '面霜', 'wireless earbuds'];
const PAGES = ['Home', 'Category', 'Cart', 'Checkout', 'Account'];
const CITIES = ['Shanghai', 'Beijing', 'Shenzhen', 'Hangzhou', 'Chengdu'];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

/** A small seeded generator (mulberry32); enough for test traffic, not for statistics. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
