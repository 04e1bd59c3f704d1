import { beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../core/events.js';
import { readProfile } from '../profile.js';
import type { ProfileProcessor } from '../profile-processor.js';
import { FIELD_CODE, objectFacts, parseInterestName, TableFacts } from './profile-facts.js';
import { simulatedProfiles } from './simulated-profiles.js';

describe('TableFacts reads what readProfile decodes', () => {
  let processor: ProfileProcessor;
  let end: number;
  beforeAll(async () => {
    ({ processor, end } = await simulatedProfiles({ users: 300, items: 300, days: 30 }));
  }, 60_000);

  it('for every field, interest and channel share of every simulated profile, on the engaged and the catalog price scale', async () => {
    compareAll();
    // getProfile loads the catalog's prices: price bands then come from the catalog's distribution.
    await processor.getProfile('demo', processor.profileIds('demo').users[0]!);
    expect(compareAll()).toBeGreaterThan(10_000);
  });

  function compareAll(): number {
    const now = end + 3 * 86_400_000;
    let compared = 0;
    let facts: TableFacts | undefined;
    processor.forEachProfile('demo', (ref) => {
      facts ??= new TableFacts(ref.table, ref.ws);
      facts.at(ref.slot, ref.table);
      const decoded = readProfile(ref.table, ref.slot, ref.ws, processor.settings, now);
      const expected = objectFacts(decoded);
      expect([facts.id, facts.anonymous, facts.restricted]).toEqual([expected.id, expected.anonymous, expected.restricted]);
      const keyed: Record<string, string[]> = {
        'eventCounts.*': [...Object.keys(decoded.eventCounts), 'Never Sent'], 'activeHours.*': ['0', '13', '23'], 'activeWeekdays.*': ['0', '6'],
        'channels.*': [...CHANNELS], 'platforms.*': Object.keys(decoded.platforms ?? {}), 'devices.*': Object.keys(decoded.devices ?? {}), 'operatingSystems.*': Object.keys(decoded.operatingSystems ?? {}),
      };
      for (const [path, code] of Object.entries(FIELD_CODE)) {
        for (const key of path.endsWith('*') ? keyed[path]! : [undefined]) {
          const a = facts.field(code, key, now);
          const b = expected.field(code, key, now);
          if (typeof b === 'number' && typeof a === 'number') expect(a, `${path} ${key}`).toBeCloseTo(b, 9);
          else expect(a, `${path} ${key} of ${decoded.userId}`).toBe(b);
          compared++;
        }
      }
      const names = [
        ...(decoded.interests?.categories ?? []).slice(0, 3).map((i) => `category:${i.name}`), ...(decoded.interests?.brands ?? []).slice(0, 2).map((i) => `brand:${i.name}`),
        ...(decoded.interests?.tags ?? []).slice(0, 2).map((i) => `tag:${i.name}`), ...(decoded.interests?.categories ?? []).slice(0, 2).map((i) => i.name.split(' > ').at(-1)!), 'brand:nobody',
      ];
      for (const n of names) {
        const { kind, name } = parseInterestName(n);
        expect(facts.interestShare(kind, name), n).toBeCloseTo(expected.interestShare(kind, name), 5);
      }
      for (const c of CHANNELS) expect(facts.channelShare(c)).toBeCloseTo(expected.channelShare(c), 12);
    });
    return compared;
  }
});
