import { describe, expect, it } from 'vitest';
import type { UserProfile } from '../profile.js';
import { tierOf } from './rfm-names.js';
import { quintileScore, rfmCutoffs, rfmTiers } from './rfm-tiers.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

/** A buyer: last order `daysAgo`, `orders` orders, `revenue` spent. */
function buyer(id: string, daysAgo: number, orders: number, revenue: number): UserProfile {
  return {
    workspaceId: 'shop', userId: id, anonymous: false, consent: 'full', firstSeen: NOW - 400 * DAY, lastSeen: NOW - daysAgo * DAY, events: orders * 3, eventCounts: {},
    rfm: { orders, revenue, averageOrderValue: revenue / orders, firstOrderAt: NOW - 400 * DAY, lastOrderAt: NOW - daysAgo * DAY, daysSinceLastOrder: daysAgo, discountedOrders: 0 },
  };
}

describe('RFM tiers', () => {
  it('scores quintiles with ties in the lower fifth', () => {
    expect(quintileScore(1, [1, 1, 1, 2])).toBe(1);
    expect(quintileScore(2, [1, 1, 1, 2])).toBe(4);
    expect(quintileScore(9, [1, 1, 1, 2])).toBe(5);
    expect(rfmCutoffs(Float64Array.of(5, 1, 4, 2, 3, 10, 9, 8, 7, 6), new Float64Array(10), new Float64Array(10)).recency).toEqual([2, 4, 6, 8]);
  });

  it('maps R and FM to the named tiers', () => {
    expect([tierOf(5, 5, 5), tierOf(3, 3, 4), tierOf(5, 1, 2), tierOf(3, 1, 1), tierOf(1, 4, 5), tierOf(2, 1, 2)]).toEqual(['champions', 'loyal', 'promising', 'needs attention', 'at risk', 'hibernating']);
  });

  it('tiers a hand-made set of ten buyers (and leaves non-buyers out)', () => {
    const profiles = [
      buyer('champ-1', 1, 12, 3000), buyer('champ-2', 2, 10, 2500), // recent, frequent, big
      buyer('loyal-1', 20, 6, 900), buyer('loyal-2', 25, 5, 800), // fairly recent, fairly frequent
      buyer('new-1', 3, 1, 40), buyer('new-2', 4, 1, 30), // recent, one small order
      buyer('risk-1', 200, 9, 2000), buyer('risk-2', 180, 8, 1800), // were good, long ago
      buyer('sleep-1', 300, 1, 20), buyer('sleep-2', 250, 1, 25), // long ago, little
      { ...buyer('never', 0, 1, 0), rfm: { orders: 0, revenue: 0, averageOrderValue: null, firstOrderAt: null, lastOrderAt: null, daysSinceLastOrder: null, discountedOrders: 0 } },
    ];
    const report = rfmTiers(profiles);
    const tier = (id: string) => report.users.get(id)?.tier;
    expect(profiles.map((p) => `${p.userId}: ${tier(p.userId) ?? '-'}`)).toEqual([
      'champ-1: champions', 'champ-2: champions', 'loyal-1: loyal', 'loyal-2: loyal', 'new-1: promising', 'new-2: promising',
      'risk-1: at risk', 'risk-2: at risk', 'sleep-1: hibernating', 'sleep-2: hibernating', 'never: -',
    ]);
    expect(report.users.get('champ-1')).toEqual({ r: 5, f: 5, m: 5, tier: 'champions' });
    expect(report.tiers).toEqual([
      { tier: 'champions', users: 2 }, { tier: 'loyal', users: 2 }, { tier: 'promising', users: 2 }, { tier: 'needs attention', users: 0 }, { tier: 'at risk', users: 2 }, { tier: 'hibernating', users: 2 },
    ]);
    expect(report.cutoffs.buyers).toBe(10);
  });
});
