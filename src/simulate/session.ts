import type { Channel, EventInput } from '../core/events.js';
import type { SeededRandom } from '../math/random.js';
import type { UserProfile } from './users.js';

/** An event while the simulator builds it: the timestamp is epoch ms until the shop is assembled. */
export type SimEvent = EventInput & { timestamp: number };

export interface SessionSetup {
  channel: Channel;
  sessionId: string;
  /** Browser id for web sessions. */
  anonymousId?: string;
  /** True when the session starts logged out. */
  anonymous: boolean;
  start: number;
}

/**
 * Writes the events of one visit: the same context (channel, platform, device, locale, session id,
 * campaign) on every event, ids as the client would send them (anonymous until `login`), and a clock
 * that moves forward a few seconds to a minute between events.
 *
 * @example
 * const s = new SessionWriter(events, rng, user, { channel: 'web', sessionId: 's-1', anonymousId: 'anon-1', anonymous: true, start });
 * s.view('Home'); s.login({ name: 'Li' }); s.track('Product Viewed', { productId: 'p-00001' });
 */
export class SessionWriter {
  readonly context: Record<string, unknown>;
  /** Time of the next event (epoch ms). */
  t: number;
  private loggedIn: boolean;
  private readonly screens: boolean;

  constructor(
    private readonly out: SimEvent[],
    private readonly rng: SeededRandom,
    readonly user: UserProfile,
    readonly setup: SessionSetup,
  ) {
    this.t = setup.start;
    this.loggedIn = !setup.anonymous;
    this.screens = setup.channel === 'app' || setup.channel === 'mini-program';
    this.context = buildContext(rng, user, setup);
  }

  get isLoggedIn(): boolean {
    return this.loggedIn;
  }

  /** A `track` event. */
  track(event: string, properties: Record<string, unknown>): void {
    this.push({ type: 'track', event, properties });
  }

  /** A `page` (web) or `screen` (app, mini-program) view. */
  view(name: string, properties: Record<string, unknown> = {}): void {
    this.push({ type: this.screens ? 'screen' : 'page', name, properties });
  }

  /** The user logs in (or is known from the start): an `identify` with their traits, linking the browser id. */
  login(traits: Record<string, unknown>): void {
    this.loggedIn = true;
    this.push({ type: 'identify', traits });
  }

  /** Lets time pass (user reading, scrolling): `meanSeconds` on average, at least 2 s. */
  wait(meanSeconds: number): void {
    this.t += Math.round(2000 + this.rng.exponential(1 / (meanSeconds * 1000)));
  }

  private push(fields: Pick<EventInput, 'type' | 'event' | 'name' | 'properties' | 'traits'>): void {
    const ids: Pick<EventInput, 'userId' | 'anonymousId'> = {};
    if (this.loggedIn) ids.userId = this.user.id;
    if (this.setup.anonymousId !== undefined) ids.anonymousId = this.setup.anonymousId;
    this.out.push({ ...fields, ...ids, timestamp: this.t, context: this.context });
    this.t += 1000 + this.rng.int(4000);
  }
}

function buildContext(rng: SeededRandom, user: UserProfile, setup: SessionSetup): Record<string, unknown> {
  const { channel } = setup;
  const context: Record<string, unknown> = { channel, locale: user.locale, sessionId: setup.sessionId };
  if (channel === 'app') {
    context.platform = user.phoneOs;
    context.device = { type: 'mobile', os: user.phoneOs };
  } else if (channel === 'mini-program') {
    context.platform = 'wechat-mini-program';
    context.device = { type: 'mobile', os: user.phoneOs };
  } else {
    context.platform = 'web';
    context.device = { type: channel === 'social' ? 'mobile' : user.webDevice };
  }
  if (channel === 'search') {
    context.campaign = { source: ['baidu', 'bing', 'google'][rng.categorical([0.7, 0.2, 0.1])], medium: rng.bernoulli(0.35) ? 'cpc' : 'organic' };
  } else if (channel === 'social') {
    context.campaign = { source: ['wechat', 'weibo', 'xiaohongshu', 'douyin'][rng.categorical([0.4, 0.2, 0.25, 0.15])], medium: 'social' };
  } else if (channel === 'email') {
    context.campaign = { source: 'newsletter', medium: 'email', name: 'weekly-picks' };
  }
  return context;
}
