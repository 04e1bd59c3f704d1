import type { UserInput } from '../core/catalog.js';
import type { Channel } from '../core/events.js';
import { AliasTable, type SeededRandom } from '../math/random.js';
import type { CatalogModel } from './catalog.js';
import { CATEGORY_TREE } from './vocabulary/categories.js';
import { CITIES, FIRST_NAMES_EN, GIVEN_CHARS_ZH, LAST_NAMES_EN, SURNAMES_ZH } from './vocabulary/words.js';

const DAY = 86_400_000;

/** Channels a session can come through, and their share in the shop overall. */
export const SESSION_CHANNELS: readonly Channel[] = ['app', 'mini-program', 'web', 'search', 'social', 'email'];
const CHANNEL_SHARE = [0.35, 0.25, 0.2, 0.08, 0.08, 0.04];
/** How popular each top category is overall (Clothing, Electronics, Home, Beauty, Food, Sports, Baby, Books). */
const TOP_SHARE = [0.2, 0.14, 0.13, 0.13, 0.14, 0.1, 0.07, 0.09];
export const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55+'] as const;

/**
 * A simulated shopper: what they are like (hidden from the shop) and how they behave. The latent
 * parts (tastes, price sensitivity, brand affinity) are the ground truth recommenders are scored on.
 */
export interface UserProfile {
  index: number;
  id: string;
  locale: 'zh-CN' | 'en-US';
  gender?: 'female' | 'male';
  ageBand: (typeof AGE_BANDS)[number];
  /** Share of interest per top category (sums to 1). */
  topTaste: Float64Array;
  /** Share of interest per leaf category (sums to 1). */
  leafTaste: Float64Array;
  /** Draws a leaf by taste (only leaves that have items). */
  leafTable: AliasTable;
  /** Affinity per brand (0 for most, up to ~2 for favourites). */
  brandAffinity: Float64Array;
  /** 0 (price does not matter) … 1 (very price sensitive). */
  priceSensitivity: number;
  /** Preferred price relative to a leaf's median price. */
  priceFactor: number;
  /** Tolerance around the preferred price, in log units. */
  priceWidth: number;
  qualityWeight: number;
  /** Weight of each of SESSION_CHANNELS. */
  channelWeights: Float64Array;
  phoneOs: 'ios' | 'android';
  webDevice: 'desktop' | 'mobile' | 'tablet';
  /** Anonymous ids of the user's browsers (web sessions start anonymous on them). */
  anonymousIds: string[];
  /** Probability that a web session starts logged out. */
  anonymousShare: number;
  /** Peak hour of activity (0–24, local time = UTC+8) and spread in hours. */
  peakHour: number;
  hourSpread: number;
  /** Expected sessions per day. */
  sessionsPerDay: number;
  /** Expected product views per session step count (browsing depth). */
  depth: number;
  signupAt: number;
  /** True when the user signed up during the simulated window. */
  newUser: boolean;
  consent: { analytics: boolean; personalization: boolean; marketing: boolean };
  traits: Record<string, unknown>;
}

/**
 * Generates `count` shoppers with latent tastes (Dirichlet over top categories, then over leaves,
 * nudged by gender and age), brand affinity, price sensitivity, channels and devices, active hours,
 * locale (mostly zh-CN), consent and traits.
 *
 * @example const users = generateUsers(rng.fork('users'), 2000, catalog, start, 30);
 */
export function generateUsers(rng: SeededRandom, count: number, catalog: CatalogModel, start: number, days: number): UserProfile[] {
  const profiles: UserProfile[] = new Array(count);
  const cityTable = new AliasTable(CITIES.map((c) => c[2]));
  const width = Math.max(5, String(count).length);
  for (let i = 0; i < count; i++) profiles[i] = generateUser(rng.fork(i), i, `u-${String(i + 1).padStart(width, '0')}`, catalog, start, days, cityTable);
  return profiles;
}

function generateUser(rng: SeededRandom, index: number, id: string, catalog: CatalogModel, start: number, days: number, cityTable: AliasTable): UserProfile {
  const { leaves, brands } = catalog;
  const locale = rng.bernoulli(0.85) ? 'zh-CN' : 'en-US';
  const genderDraw = rng.next();
  const gender = genderDraw < 0.45 ? 'female' : genderDraw < 0.85 ? 'male' : undefined;
  const ageBand = AGE_BANDS[rng.categorical([0.2, 0.35, 0.25, 0.12, 0.08])]!;

  const topTaste = rng.dirichlet(TOP_SHARE.map((s) => 2.4 * s));
  const leafTaste = new Float64Array(leaves.length);
  CATEGORY_TREE.forEach((top, t) => {
    const inTop = leaves.filter((l) => l.top === t);
    const within = rng.dirichlet(inTop.map(() => 0.5));
    inTop.forEach((leaf, k) => (leafTaste[leaf.index] = topTaste[t]! * within[k]! * demographicBoost(leaf.pathEn, gender, ageBand)));
  });
  normalise(leafTaste);
  for (let t = 0; t < topTaste.length; t++) topTaste[t] = 0;
  for (const leaf of leaves) topTaste[leaf.top]! += leafTaste[leaf.index]!;
  const available = leafTaste.map((w, l) => (catalog.byLeaf[l]!.length > 0 ? w + 1e-9 : 0));

  // A few favourite brands, mostly in the categories the user likes.
  const brandAffinity = new Float64Array(brands.length);
  const favourites = rng.weightedSampleWithoutReplacement(brands.map((b) => topTaste[b.top]! + 0.01), 1 + rng.int(4));
  for (const b of favourites) brandAffinity[b] = rng.gamma(2, 0.45);

  const priceSensitivity = rng.beta(2, 2);
  const marketing = rng.bernoulli(0.4);
  const channelWeights = rng.dirichlet(CHANNEL_SHARE.map((s) => 4 * s));
  if (!marketing) channelWeights[SESSION_CHANNELS.indexOf('email')] = 0;
  const peakDraw = rng.categorical([0.5, 0.2, 0.1, 0.2]);
  const peakHour = [21, 12.5, 8, 23.5][peakDraw]! + rng.normal(0, 0.7);
  const newUser = rng.bernoulli(0.2);
  const signupAt = Math.round(newUser ? start + rng.range(0, 0.95) * days * DAY : start - DAY - Math.min(1500 * DAY, rng.exponential(1 / (300 * DAY))));
  const anonymousIds = Array.from({ length: 1 + (rng.bernoulli(0.3) ? 1 : 0) }, () => `anon-${hex(rng, 8)}${hex(rng, 8)}`);
  const city = CITIES[cityTable.sample(rng)]!;
  const name = locale === 'zh-CN'
    ? rng.pick(SURNAMES_ZH) + rng.pick(GIVEN_CHARS_ZH) + (rng.bernoulli(0.6) ? rng.pick(GIVEN_CHARS_ZH) : '')
    : `${rng.pick(FIRST_NAMES_EN)} ${rng.pick(LAST_NAMES_EN)}`;
  const consent = { analytics: rng.bernoulli(0.92), personalization: rng.bernoulli(0.7), marketing };
  const traits: Record<string, unknown> = {
    name, locale, city: locale === 'zh-CN' ? city[0] : city[1], ageBand, signupAt: new Date(signupAt).toISOString(),
    ...(gender ? { gender } : {}),
  };
  return {
    index, id, locale, gender, ageBand, topTaste, leafTaste, leafTable: new AliasTable(available), brandAffinity,
    priceSensitivity, priceFactor: Math.exp(0.7 * (0.5 - priceSensitivity) + rng.normal(0, 0.15)), priceWidth: 0.3 + 0.7 * (1 - priceSensitivity),
    qualityWeight: rng.range(0.2, 0.8), channelWeights, phoneOs: rng.bernoulli(0.45) ? 'ios' : 'android',
    webDevice: (['desktop', 'mobile', 'tablet'] as const)[rng.categorical([0.45, 0.45, 0.1])]!, anonymousIds,
    anonymousShare: rng.bernoulli(0.5) ? 0.7 : 0.15, peakHour: (peakHour + 24) % 24, hourSpread: rng.range(1, 3),
    sessionsPerDay: Math.min(5, rng.lognormal(Math.log(0.2), 0.8)), depth: rng.lognormal(Math.log(2.5), 0.4),
    signupAt, newUser, consent, traits,
  };
}

/**
 * The user as written to the shop: traits and consent, no latent tastes.
 *
 * @example await storage.users.upsert('demo', profiles.map(toUserInput), Date.now());
 */
export function toUserInput(profile: UserProfile): UserInput {
  return { id: profile.id, traits: profile.traits, consent: profile.consent };
}

/** Gender and age make some categories likelier (women's wear, baby goods for young parents…). */
function demographicBoost(path: readonly string[], gender: 'female' | 'male' | undefined, ageBand: string): number {
  const [top, sub] = path;
  let boost = 1;
  if (sub === "Women's Wear" || top === 'Beauty') boost *= gender === 'female' ? 2 : gender === 'male' ? 0.25 : 1;
  if (sub === "Men's Wear") boost *= gender === 'male' ? 2 : gender === 'female' ? 0.25 : 1;
  if (top === 'Baby') boost *= ageBand === '25-34' || ageBand === '35-44' ? 2.5 : 0.3;
  if (top === 'Electronics' || sub === 'Education') boost *= ageBand === '18-24' ? 1.8 : 1;
  return boost;
}

function normalise(weights: Float64Array): void {
  let sum = 0;
  for (const w of weights) sum += w;
  for (let i = 0; i < weights.length; i++) weights[i]! /= sum;
}

function hex(rng: SeededRandom, digits: number): string {
  return rng.nextUint32().toString(16).padStart(8, '0').slice(0, digits);
}
