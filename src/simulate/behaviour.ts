import type { SeededRandom } from '../math/random.js';
import type { CatalogModel } from './catalog.js';
import { type SimEvent, SessionWriter } from './session.js';
import { appealScore, tasteScore } from './utility.js';
import { SESSION_CHANNELS, type UserProfile } from './users.js';
import { CATEGORY_TREE } from './vocabulary/categories.js';
import { QUERY_MODIFIERS, REVIEW_PHRASES, sentimentOf } from './vocabulary/reviews.js';
import { COLORS, CREATIVES, PROMOTIONS, TOP_WORDS } from './vocabulary/words.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Shoppers live in UTC+8: local midnight is 16:00 UTC. */
const LOCAL_OFFSET = 8 * HOUR;
const CREATIVE_APPEAL = [1, 1.4, 0.7];

interface CartLine {
  item: number;
  quantity: number;
}

/** The time window simulated, and the seed (for order ids). */
export interface SimWindow {
  start: number;
  end: number;
  seed: number | string;
}

/**
 * Simulates everything one user does in the window: sessions at their active hours (more at
 * weekends), each a walk of searches and product views drawn from taste × price fit × popularity,
 * with clicks, likes, shares, cart adds, sometimes a checkout and an order, promotions on the home
 * screen, and reviews some days after a purchase. Events are appended to `out` in time order.
 *
 * @example simulateUser(users[0]!, catalog, rng.fork('behaviour:0'), { start, end, seed: 42 }, events);
 */
export function simulateUser(user: UserProfile, catalog: CatalogModel, rng: SeededRandom, window: SimWindow, out: SimEvent[]): void {
  if (!user.consent.analytics) return; // without consent the shop's SDK sends nothing
  const sim = new UserSimulation(user, catalog, rng, window, out);
  sim.run();
}

class UserSimulation {
  private readonly recent: number[] = [];
  private readonly leafWeights = new Map<number, Float64Array>();
  private orders = 0;
  private readonly reviews: { at: number; item: number }[] = [];

  constructor(
    private readonly user: UserProfile,
    private readonly catalog: CatalogModel,
    private readonly rng: SeededRandom,
    private readonly window: SimWindow,
    private readonly out: SimEvent[],
  ) {}

  run(): void {
    const { user, rng, window } = this;
    const from = Math.max(window.start, user.signupAt);
    if (from >= window.end - HOUR) return;
    const expected = (user.sessionsPerDay * (window.end - from)) / DAY;
    const starts: number[] = [];
    if (user.newUser) starts.push(user.signupAt);
    for (let n = rng.poisson(expected); n > 0; n--) {
      const t = this.sessionStart(from);
      if (t !== undefined) starts.push(t);
    }
    starts.sort((a, b) => a - b);
    let free = from;
    starts.forEach((start, k) => {
      const t = Math.max(start, free);
      if (t >= window.end - HOUR) return;
      free = this.session(t, k === 0) + 10 * 60_000;
    });
    for (const review of this.reviews) if (review.at < window.end) this.review(review.at, review.item);
  }

  /** A time in the user's active hours, weekends 30% likelier; undefined when none fits the window. */
  private sessionStart(from: number): number | undefined {
    const { rng, user, window } = this;
    for (let attempt = 0; attempt < 20; attempt++) {
      const day = Math.floor((from + LOCAL_OFFSET) / DAY) + rng.int(Math.ceil((window.end - from) / DAY) + 1);
      const weekday = new Date(day * DAY).getUTCDay();
      if ((weekday === 0 || weekday === 6 ? 1 : 0.77) < rng.next()) continue;
      const hour = (((user.peakHour + rng.normal(0, user.hourSpread)) % 24) + 24) % 24;
      const t = Math.round(day * DAY - LOCAL_OFFSET + hour * HOUR);
      if (t >= from && t < window.end - HOUR) return t;
    }
    return undefined;
  }

  /** One visit; returns when it ended. */
  private session(start: number, first: boolean): number {
    const { rng, user, catalog } = this;
    const channel = SESSION_CHANNELS[rng.categorical(user.channelWeights)]!;
    const web = channel !== 'app' && channel !== 'mini-program';
    const anonymous = web && !first && rng.bernoulli(user.anonymousShare);
    const s = new SessionWriter(this.out, rng, user, {
      channel, start, anonymous, sessionId: `s-${hex(rng)}${hex(rng)}`, ...(web ? { anonymousId: rng.pick(user.anonymousIds) } : {}),
    });
    if (first && user.newUser) s.track('Signed Up', { method: rng.pick(['phone', 'wechat', 'email']) });
    if (first) s.login(user.traits);
    const cart: CartLine[] = [];
    let focus = user.leafTable.sample(rng);
    if (channel === 'search') {
      this.viewProduct(s, this.pickInLeaf(focus, s.t), cart, 'landing');
    } else {
      s.view('Home', { path: '/' });
      if (rng.bernoulli(0.3)) focus = this.promotion(s, focus);
    }
    const steps = 1 + rng.poisson(user.depth);
    for (let step = 0; step < steps; step++) {
      s.wait(35);
      if (!s.isLoggedIn && rng.bernoulli(0.1)) s.login(loginTraits(user));
      if (rng.bernoulli(0.3)) focus = user.leafTable.sample(rng);
      const r = rng.next();
      if (r < 0.22) {
        s.track('Products Searched', { query: this.query(focus) });
        for (let k = 1 + (rng.bernoulli(0.35) ? 1 : 0); k > 0; k--) this.viewProduct(s, this.pickInLeaf(focus, s.t), cart, 'search results');
      } else if (r < 0.35) {
        s.view('Category', { path: `/c/${focus}`, category: catalog.leaves[focus]!.pathZh.join('/') });
        this.viewProduct(s, this.pickInLeaf(focus, s.t), cart, 'category');
      } else if (r < 0.47 && this.recent.length > 0) {
        this.viewProduct(s, rng.pick(this.recent), cart, 'recently viewed');
      } else if (r < 0.62) {
        this.viewProduct(s, this.pickPopular(s.t), cart, 'trending');
      } else {
        this.viewProduct(s, this.pickInLeaf(focus, s.t), cart, 'home feed');
      }
    }
    if (cart.length > 0) this.checkout(s, cart);
    return s.t;
  }

  private promotion(s: SessionWriter, focus: number): number {
    const { rng, user, catalog } = this;
    const promo = rng.pick(PROMOTIONS);
    const creative = rng.int(CREATIVES.length);
    const props = { promotionId: promo.id, name: user.locale === 'zh-CN' ? promo.zh : promo.en, creative: CREATIVES[creative], position: 'home-banner' };
    s.track('Promotion Viewed', props);
    const interest = promo.top < 0 ? 0.2 : user.topTaste[promo.top]!;
    if (!rng.bernoulli((0.02 + 0.3 * interest) * CREATIVE_APPEAL[creative]!)) return focus;
    s.track('Promotion Clicked', props);
    if (promo.top < 0) return focus;
    const leaves = catalog.leaves.filter((l) => l.top === promo.top && catalog.byLeaf[l.index]!.length > 0);
    return leaves.length === 0 ? focus : leaves[rng.categorical(leaves.map((l) => user.leafTaste[l.index]! + 0.01))]!.index;
  }

  /** Click (from a list) and view of an item, and what the user then does with it. */
  private viewProduct(s: SessionWriter, item: number, cart: CartLine[], list: string): void {
    const { rng, user, catalog } = this;
    if (item < 0) return;
    const id = catalog.items[item]!.id;
    const price = catalog.price[item]!;
    if (list !== 'landing') s.track('Product Clicked', { productId: id, position: 1 + rng.int(20), list });
    const leaf = catalog.leaves[catalog.leaf[item]!]!;
    s.track('Product Viewed', { productId: id, price, currency: 'CNY', category: leaf.pathZh.join('/'), brand: catalog.brands[catalog.brand[item]!]!.en });
    this.remember(item);
    const appeal = appealScore(user, catalog, item);
    const taste = tasteScore(user, catalog.leaf[item]!);
    s.wait(40);
    if (rng.bernoulli(0.012 + 0.04 * sigmoid(appeal + taste - 1))) s.track('Product Liked', { productId: id });
    if (rng.bernoulli(0.004 + 0.01 * sigmoid(appeal + taste - 1))) s.track('Product Shared', { productId: id, shareVia: rng.pick(['wechat', 'weibo', 'qq', 'link']) });
    if (!rng.bernoulli(sigmoid(-3.5 + 0.9 * appeal + 0.5 * taste)) || catalog.items[item]!.stock === 0) return;
    if (!s.isLoggedIn) s.login(loginTraits(user));
    const consumable = leaf.top === 4 || leaf.top === 6;
    const quantity = consumable && rng.bernoulli(0.3) ? 2 + rng.int(2) : 1;
    s.track('Product Added', { productId: id, quantity, price, currency: 'CNY' });
    cart.push({ item, quantity });
  }

  private checkout(s: SessionWriter, cart: CartLine[]): void {
    const { rng, user, catalog } = this;
    s.wait(30);
    s.view('Cart', { path: '/cart' });
    if (cart.length > 1 && rng.bernoulli(0.2)) {
      const removed = cart.splice(rng.int(cart.length), 1)[0]!;
      s.track('Product Removed', { productId: catalog.items[removed.item]!.id, quantity: removed.quantity });
    }
    if (!rng.bernoulli(0.22)) return;
    const products = cart.map(({ item, quantity }) => ({ productId: catalog.items[item]!.id, quantity, price: catalog.price[item]! }));
    const revenue = Math.round(products.reduce((sum, p) => sum + p.price * p.quantity, 0) * 100) / 100;
    const orderId = `ord-${this.window.seed}-${user.index}-${++this.orders}`;
    s.track('Checkout Started', { orderId, revenue, currency: 'CNY', products });
    s.wait(60);
    if (!rng.bernoulli(0.62 - 0.25 * user.priceSensitivity)) return;
    s.track('Order Completed', { orderId, revenue, currency: 'CNY', products, paymentMethod: rng.pick(['alipay', 'wechat-pay', 'card']) });
    for (const { item } of cart) {
      if (rng.bernoulli(0.3)) this.reviews.push({ at: s.t + Math.round(rng.range(1, 10) * DAY), item });
    }
  }

  /** A later visit to review a purchased item; the rating follows how much the user really likes it. */
  private review(at: number, item: number): void {
    const { rng, user, catalog } = this;
    const s = new SessionWriter(this.out, rng, user, { channel: user.phoneOs === 'ios' || rng.bernoulli(0.6) ? 'app' : 'web', start: at, anonymous: false, sessionId: `s-${hex(rng)}${hex(rng)}` });
    const fit = appealScore(user, catalog, item) + 0.3 * catalog.quality[item]!;
    const rating = Math.min(5, Math.max(1, Math.round(3.9 + 0.7 * fit + rng.normal(0, 0.8))));
    const lang = user.locale === 'zh-CN' ? 'zh' : 'en';
    const phrases = REVIEW_PHRASES[sentimentOf(rating)][lang];
    const text = rng.sampleWithoutReplacement(phrases, 1 + rng.int(2)).join(lang === 'zh' ? '' : ' ');
    s.track('Review Submitted', { productId: catalog.items[item]!.id, rating, text });
  }

  /** An item of `leaf` by popularity × appeal to this user, listed before `t`; -1 if none. */
  private pickInLeaf(leaf: number, t: number): number {
    const { rng, catalog } = this;
    const items = catalog.byLeaf[leaf]!;
    if (items.length === 0) return this.pickPopular(t);
    let weights = this.leafWeights.get(leaf);
    if (!weights) {
      weights = Float64Array.from(items, (i) => catalog.popularity[i]! * Math.exp(appealScore(this.user, catalog, i)));
      this.leafWeights.set(leaf, weights);
    }
    for (let attempt = 0; attempt < 6; attempt++) {
      const item = items[rng.categorical(weights)]!;
      if (catalog.createdAt[item]! <= t) return item;
    }
    return this.pickPopular(t);
  }

  private pickPopular(t: number): number {
    for (let attempt = 0; attempt < 10; attempt++) {
      const item = this.catalog.popular.sample(this.rng);
      if (this.catalog.createdAt[item]! <= t) return item;
    }
    return -1;
  }

  private query(leaf: number): string {
    const { rng, user, catalog } = this;
    const spec = catalog.leaves[leaf]!;
    const words = TOP_WORDS[spec.top]!;
    const zh = user.locale === 'zh-CN';
    const noun = zh ? spec.zh : spec.en.toLowerCase();
    const r = rng.next();
    let extra = '';
    if (r < 0.25) extra = zh ? rng.pick(words.brands).zh : rng.pick(words.brands).en.toLowerCase();
    else if (r < 0.4 && words.colored) extra = zh ? rng.pick(COLORS)[0] : rng.pick(COLORS)[1].toLowerCase();
    else if (r < 0.55) extra = zh ? rng.pick(words.adjectives)[0] : rng.pick(words.adjectives)[1].toLowerCase();
    else if (r < 0.65) extra = rng.pick(zh ? QUERY_MODIFIERS.zh : QUERY_MODIFIERS.en);
    else if (r < 0.72) return zh ? `${CATEGORY_TREE[spec.top]!.subs[spec.sub]!.zh}` : CATEGORY_TREE[spec.top]!.subs[spec.sub]!.en.toLowerCase();
    return extra === '' ? noun : zh ? `${extra}${noun}` : `${extra} ${noun}`;
  }

  private remember(item: number): void {
    if (this.recent.includes(item)) return;
    this.recent.push(item);
    if (this.recent.length > 20) this.recent.shift();
  }
}

function loginTraits(user: UserProfile): Record<string, unknown> {
  return { name: user.traits.name, locale: user.locale };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function hex(rng: SeededRandom): string {
  return rng.nextUint32().toString(16).padStart(8, '0');
}
