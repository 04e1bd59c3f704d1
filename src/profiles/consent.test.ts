import { describe, expect, it } from 'vitest';
import type { Consent } from '../core/catalog.js';
import { trackingLevel } from './consent.js';
import { EventMaker, T0, testProcessor } from './profile-fixtures.js';

const behaviour = (m: EventMaker, userId: string) => [
  m.track({ userId }, 'Product Viewed', { productId: 'p1' }, { channel: 'web' }),
  m.track({ userId }, 'Products Searched', { query: 'drums' }),
  m.track({ userId }, 'Order Completed', { revenue: 10, products: [{ productId: 'p1', quantity: 1, price: 10 }] }),
];

describe('consent decides what a profile keeps', () => {
  it('maps consent to a tracking level, opt-out by default and opt-in on request', () => {
    expect(trackingLevel({}, false)).toBe('full');
    expect(trackingLevel(undefined, false)).toBe('full');
    expect(trackingLevel({ personalization: false }, false)).toBe('restricted');
    expect(trackingLevel({ analytics: false, personalization: true }, false)).toBe('none');
    expect(trackingLevel({}, true)).toBe('none');
    expect(trackingLevel({ analytics: true }, true)).toBe('restricted');
    expect(trackingLevel({ analytics: true, personalization: true }, true)).toBe('full');
  });

  it('users who declined personalization get counts only; users who declined analytics are not tracked', async () => {
    const m = new EventMaker();
    const consents = new Map<string, Consent>([['private', { analytics: true, personalization: false }], ['ghost', { analytics: false }]]);
    const processor = testProcessor({ consents });
    await processor.process([...behaviour(m, 'open'), ...behaviour(m, 'private'), ...behaviour(m, 'ghost')]);
    const open = (await processor.getProfile('shop', 'open'))!;
    expect(open.consent).toBe('full');
    expect(open.interests?.brands.length).toBeGreaterThan(0);
    const restricted = (await processor.getProfile('shop', 'private'))!;
    expect(Object.keys(restricted).sort()).toEqual(['anonymous', 'consent', 'eventCounts', 'events', 'firstSeen', 'lastSeen', 'userId', 'workspaceId']);
    expect(restricted).toMatchObject({ consent: 'restricted', events: 3, eventCounts: { 'Product Viewed': 1, 'Products Searched': 1, 'Order Completed': 1 } });
    expect(await processor.getProfile('shop', 'ghost')).toBeUndefined();
    expect(processor.stats()).toMatchObject({ profiles: 2, restricted: 1, untracked: 3 });
  });

  it('under opt-in, absent consent means not tracked, and anonymous visitors are restricted', async () => {
    const m = new EventMaker();
    const consents = new Map<string, Consent>([['yes', { analytics: true, personalization: true }], ['stats-only', { analytics: true }]]);
    const processor = testProcessor({ consents, requireOptIn: true });
    await processor.process([...behaviour(m, 'yes'), ...behaviour(m, 'stats-only'), ...behaviour(m, 'unasked'), m.track({ anonymousId: 'a1' }, 'Product Viewed', { productId: 'p1' })]);
    expect((await processor.getProfile('shop', 'yes'))!.consent).toBe('full');
    expect((await processor.getProfile('shop', 'stats-only'))!.consent).toBe('restricted');
    expect(await processor.getProfile('shop', 'unasked')).toBeUndefined();
    expect(await processor.getProfile('shop', 'a1')).toMatchObject({ consent: 'restricted', anonymous: true, events: 1 });
  });

  it('a consent change strips or deletes an existing profile, and later events follow it', async () => {
    const m = new EventMaker();
    const consents = new Map<string, Consent>();
    const processor = testProcessor({ consents });
    await processor.process([...behaviour(m, 'u1'), ...behaviour(m, 'u2')]);
    consents.set('u1', { personalization: false });
    consents.set('u2', { analytics: false });
    await processor.refreshConsent('shop', ['u1', 'u2']);
    const u1 = (await processor.getProfile('shop', 'u1'))!;
    expect(u1).toMatchObject({ consent: 'restricted', events: 3 });
    expect(u1.rfm).toBeUndefined();
    expect(await processor.getProfile('shop', 'u2')).toBeUndefined();
    await processor.process([...behaviour(m, 'u1'), ...behaviour(m, 'u2')]);
    expect((await processor.getProfile('shop', 'u1'))!.events).toBe(6);
    expect(await processor.getProfile('shop', 'u2')).toBeUndefined();
    // Granting again: behaviour is profiled from then on (what was dropped stays dropped).
    consents.set('u1', { personalization: true });
    await processor.refreshConsent('shop', ['u1']);
    await processor.process([m.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p2' })]);
    expect((await processor.getProfile('shop', 'u1'))!.recentItems!.map((r) => r.itemId)).toEqual(['p2']);
  });

  it('re-reads consent after its time to live on the user’s next event', async () => {
    const m = new EventMaker();
    const consents = new Map<string, Consent>();
    let now = T0;
    const processor = testProcessor({ consents, consentTtlMs: 60_000, clock: () => now });
    await processor.process(behaviour(m, 'u1'));
    consents.set('u1', { personalization: false });
    await processor.process([m.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p2' })]);
    expect((await processor.getProfile('shop', 'u1'))!.consent).toBe('full');
    now += 61_000;
    await processor.process([m.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p3' })]);
    expect((await processor.getProfile('shop', 'u1'))!.consent).toBe('restricted');
  });
});
