import type { ItemInput, UserInput } from '../core/catalog.js';
import { AppError } from '../core/errors.js';
import type { EventInput } from '../core/events.js';
import { SeededRandom } from '../math/random.js';
import { simulateUser } from './behaviour.js';
import { type CatalogModel, generateCatalog } from './catalog.js';
import type { SimEvent } from './session.js';
import { computeTruth, type GroundTruth } from './truth.js';
import { generateUsers, toUserInput, type UserProfile } from './users.js';

const DAY = 86_400_000;

/** Where the simulated history ends by default: fixed, so a seed always gives the same shop. */
export const DEFAULT_SHOP_END = Date.UTC(2026, 10, 1);

export interface ShopOptions {
  seed: number | string;
  users: number;
  items: number;
  days: number;
  /** Start of the simulated window, epoch ms; default `DEFAULT_SHOP_END - days`. */
  start?: number;
  /** How many liked items the ground truth lists per user (default 50). */
  likedPerUser?: number;
}

/** A generated shop: what is written to Shopwise, and the truth behind it. */
export interface Shop {
  items: ItemInput[];
  users: UserInput[];
  /** Sorted by timestamp (ISO 8601), each with a deterministic messageId. */
  events: EventInput[];
  truth: GroundTruth;
}

/** A shop with the simulator's internal model, for tests and tools that need the latent values. */
export interface ShopWithModel extends Shop {
  model: { catalog: CatalogModel; profiles: UserProfile[] };
}

/**
 * Generates a realistic demo shop, the same for the same options: a bilingual catalog over a
 * 3-level category tree, users with latent tastes, and their history of sessions (searches, views,
 * clicks, carts, orders, reviews, likes, shares, promotions) over `days` days.
 *
 * Message ids are `sim-<seed>-<shape>-<n>` where `shape` is a short hash of the other options, so
 * loading the same shop twice stores nothing new, and shops of different sizes never collide.
 *
 * @example
 * const shop = generateShop({ seed: 42, users: 2000, items: 3000, days: 30 });
 * shop.events.length; // ≈ 190 000
 */
export function generateShop(options: ShopOptions): ShopWithModel {
  const { seed, users: userCount, items: itemCount, days } = options;
  checkCount('users', userCount, 1);
  checkCount('items', itemCount, 1);
  checkCount('days', days, 1);
  const start = options.start ?? DEFAULT_SHOP_END - days * DAY;
  if (!Number.isFinite(start)) throw AppError.invalid(`start must be epoch milliseconds, got ${options.start}`, { field: 'start' });
  const end = start + days * DAY;
  const rng = new SeededRandom(seed);
  const catalog = generateCatalog(rng.fork('catalog'), itemCount, start, days);
  const profiles = generateUsers(rng.fork('users'), userCount, catalog, start, days);
  const simulated: SimEvent[] = [];
  for (const profile of profiles) simulateUser(profile, catalog, rng.fork(`behaviour:${profile.index}`), { start, end, seed }, simulated);
  // Stable sort: events at the same millisecond keep the order they were generated in.
  simulated.sort((a, b) => a.timestamp - b.timestamp);
  const shape = shapeTag(userCount, itemCount, days, start);
  const width = String(simulated.length).length;
  const events = simulated.map((e, n): EventInput => ({ ...e, timestamp: new Date(e.timestamp).toISOString(), messageId: `sim-${seed}-${shape}-${String(n).padStart(width, '0')}` }));
  const truth = computeTruth(catalog, profiles, { seed, days, start, end }, options.likedPerUser);
  return { items: catalog.items, users: profiles.map(toUserInput), events, truth, model: { catalog, profiles } };
}

function checkCount(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw AppError.invalid(`${field} must be an integer ≥ ${min}, got ${value}`, { field });
}

/** Four base-36 characters identifying the shop's size and window. */
function shapeTag(users: number, items: number, days: number, start: number): string {
  let h = 2166136261;
  for (const ch of `${users}/${items}/${days}/${start}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return ((h >>> 0) % 1679616).toString(36).padStart(4, '0');
}
