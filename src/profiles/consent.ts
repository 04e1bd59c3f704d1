import type { Consent } from '../core/catalog.js';
import type { UserStore } from '../storage/user-store.js';

/**
 * How much of a user the profile processor keeps, from their consent (core/catalog.ts):
 *
 * - `none` — analytics declined (`analytics: false`): not tracked at all; no profile, their events are
 *   skipped, and a profile they had is deleted when the processor learns of the change.
 * - `restricted` — personalization declined (`personalization: false`): no behavioural profile. Kept
 *   only what running the shop and honouring the law needs: event counts per name and first/last seen
 *   (to answer an access request, count activity in aggregate analytics the user did not decline, and
 *   prove what was and was not processed). No interests, price band, activity hours, devices, item or
 *   search history, cart, RFM or review sentiment.
 * - `full` — everything else.
 *
 * Absent purposes mean "not asked". By default that allows processing (opt-out, what the demo shop's
 * SDK does after its consent banner); with `requireOptIn` a purpose must be `true`: users without
 * `analytics: true` are not tracked and users without `personalization: true` are restricted.
 * Anonymous visitors have no user record to hold consent, so they get `full` under opt-out and
 * `restricted` under opt-in (the SDK only sends events after the banner; what it cannot prove, the
 * processor does not profile).
 */
export type TrackingLevel = 'full' | 'restricted' | 'none';

/**
 * The level a user's consent allows.
 *
 * @example trackingLevel({ analytics: true, personalization: false }, false) // 'restricted'
 */
export function trackingLevel(consent: Consent | undefined, requireOptIn: boolean): TrackingLevel {
  const allowed = (purpose: 'analytics' | 'personalization') => (requireOptIn ? consent?.[purpose] === true : consent?.[purpose] !== false);
  if (!allowed('analytics')) return 'none';
  return allowed('personalization') ? 'full' : 'restricted';
}

/** The level of an anonymous visitor (see TrackingLevel). */
export function anonymousLevel(requireOptIn: boolean): TrackingLevel {
  return requireOptIn ? 'restricted' : 'full';
}

/** Where the processor reads consent; the default reads the UserStore. */
export interface ConsentSource {
  /** Consent of those of `userIds` that have a user record (missing users are absent). */
  consents(workspaceId: string, userIds: readonly string[]): Promise<Map<string, Consent>>;
}

const CONCURRENT_READS = 32;

/**
 * A ConsentSource over the UserStore (a deleted user counts as declining everything).
 *
 * @example const consent = consentFromUserStore(storage.users);
 */
export function consentFromUserStore(users: UserStore): ConsentSource {
  return {
    async consents(workspaceId, userIds) {
      const found = new Map<string, Consent>();
      for (let start = 0; start < userIds.length; start += CONCURRENT_READS) {
        const chunk = userIds.slice(start, start + CONCURRENT_READS);
        const records = await Promise.all(chunk.map((id) => users.get(workspaceId, id, { includeDeleted: true })));
        records.forEach((user, i) => {
          if (user) found.set(chunk[i]!, user.deletedAt === null ? user.consent : { analytics: false, personalization: false, marketing: false });
        });
      }
      return found;
    },
  };
}

/**
 * A ConsentSource over a map (tests, benchmarks).
 *
 * @example consentFromMap({ shop: new Map([['u1', { personalization: false }]]) })
 */
export function consentFromMap(byWorkspace: Record<string, ReadonlyMap<string, Consent>>): ConsentSource {
  return {
    async consents(workspaceId, userIds) {
      const found = new Map<string, Consent>();
      for (const id of userIds) {
        const consent = byWorkspace[workspaceId]?.get(id);
        if (consent) found.set(id, consent);
      }
      return found;
    },
  };
}
