import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NormalizedEvent, StoredEvent } from '../core/events.js';
import { openStorage } from '../storage/open-storage.js';
import type { Storage } from '../storage/storage.js';
import { createProfileProcessor } from './create-profile-processor.js';
import { PollingEventSource, withCommitNudge } from './event-source.js';
import type { ProfileProcessor } from './profile-processor.js';

const event = (n: number, over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
  workspaceId: 'shop', messageId: `e-${n}`, type: 'track', event: 'Product Viewed', userId: 'u1', anonymousId: null, previousId: null,
  timestamp: 1_700_000_000_000 + n, receivedAt: 1_700_000_000_000 + n, channel: 'web', properties: { productId: `p${n % 3}`, price: 10 + n }, traits: {}, context: {}, ...over,
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('feeding the processor from the event log', () => {
  let storage: Storage;
  let processor: ProfileProcessor;

  async function setUp(pollMs: number): Promise<void> {
    storage = await openStorage('sqlite::memory:');
    await storage.workspaces.createWorkspace({ id: 'shop', name: 'Shop', createdAt: 1 });
    processor = createProfileProcessor(storage, { polling: { pollMs, batchSize: 7 } });
    cleanups.push(() => storage.close(), () => processor.close());
    await processor.start();
  }

  it('follows the log in batches after each nudge, without waiting for the poll interval', async () => {
    await setUp(3_600_000);
    const events = withCommitNudge(storage.events, () => processor.nudge());
    await events.append(Array.from({ length: 20 }, (_, i) => event(i)));
    await vi.waitFor(() => expect(processor.logPosition).toBe(20));
    expect((await processor.getProfile('shop', 'u1'))!.events).toBe(20);
    // A duplicate commit stores nothing and needs no nudge; a new event is seen at once again.
    await events.append([event(3), event(21)]);
    await vi.waitFor(async () => expect((await processor.getProfile('shop', 'u1'))!.events).toBe(21));
  });

  it('picks up events written by someone else at the next poll', async () => {
    await setUp(20);
    await storage.events.append([event(1), event(2, { userId: 'u2' })]);
    await vi.waitFor(async () => expect(await processor.getProfile('shop', 'u2')).toBeDefined());
  });

  it('attributes anonymous history through identify wherever the processor was when stitching happened', async () => {
    await setUp(3_600_000);
    const events = withCommitNudge(storage.events, () => processor.nudge());
    await events.append([event(1, { userId: null, anonymousId: 'a1' }), event(2, { userId: null, anonymousId: 'a1' })]);
    await vi.waitFor(() => expect(processor.logPosition).toBe(2));
    expect(processor.profileIds('shop').anonymous).toEqual(['a1']);
    await events.append([event(3, { type: 'identify', event: 'identify', userId: 'alice', anonymousId: 'a1' }), event(4, { userId: null, anonymousId: 'a1' })]);
    await vi.waitFor(() => expect(processor.logPosition).toBe(4));
    expect(processor.profileIds('shop')).toEqual({ users: ['alice'], anonymous: [] });
    expect((await processor.getProfile('shop', 'alice'))!.events).toBe(4);
    expect((await processor.getProfile('shop', 'a1'))!.userId).toBe('alice');
  });
});

describe('PollingEventSource gap holding', () => {
  const stored = (seq: number): StoredEvent => ({ ...event(seq), seq });

  it('waits for a gap in seq numbers to fill, then reads past one that stays', async () => {
    const log = [stored(1), stored(2), stored(4)];
    let now = 0;
    const source = new PollingEventSource({ readAfter: async (after, limit) => log.filter((e) => e.seq > after).slice(0, limit) }, { pollMs: 5, holdGapsMs: 1000, clock: () => now });
    const seen: number[] = [];
    source.start(0, async (batch) => void seen.push(...batch.map((e) => e.seq)));
    cleanups.push(() => source.stop());
    await vi.waitFor(() => expect(seen).toEqual([1, 2]));
    // A slower transaction commits seq 3: it is read in order.
    log.splice(2, 0, stored(3));
    log.push(stored(6));
    source.nudge();
    await vi.waitFor(() => expect(seen).toEqual([1, 2, 3, 4]));
    // Seq 5 never commits (a rolled back or duplicate insert): read past it once the hold is over.
    now += 1001;
    source.nudge();
    await vi.waitFor(() => expect(seen).toEqual([1, 2, 3, 4, 6]));
  });
});
