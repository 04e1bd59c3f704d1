import type { EventInput, StoredEvent } from '../../core/events.js';
import { DAY_MS } from '../decay.js';
import { EventMaker, T0, testProcessor } from '../profile-fixtures.js';
import type { ProfileProcessor } from '../profile-processor.js';
import { SegmentEngine, type SegmentEngineOptions } from './segment-engine.js';
import type { MembershipChange } from './segment-types.js';

/**
 * Test helpers for the segment engine: a profile processor (in-memory catalog: p1…p5 Music > Guitars,
 * p6…p10 Music > Drums, odd ids Yamaha, even Roland, price = 10 × n) with an engine attached, a fake
 * clock both read, and the changes and emitted events collected. Used by the tests beside this file only.
 */
export interface EngineHarness {
  processor: ProfileProcessor;
  engine: SegmentEngine;
  events: EventMaker;
  clock: { now: number };
  changes: MembershipChange[];
  emitted: { workspaceId: string; event: EventInput }[];
  /** Applies one event and waits for its changes to be emitted; returns the changes it caused. */
  feed(event: StoredEvent): Promise<MembershipChange[]>;
}

export { DAY_MS, T0 };

/**
 * A harness: processor, engine, fake clock, collected changes.
 *
 * @example const h = engineHarness(); await h.feed(h.events.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p1' }));
 */
export function engineHarness(options: SegmentEngineOptions & { processor?: ProfileProcessor } = {}): EngineHarness {
  const clock = { now: T0 };
  const processor = options.processor ?? testProcessor({ clock: () => clock.now });
  const changes: MembershipChange[] = [];
  const emitted: EngineHarness['emitted'] = [];
  const engine = new SegmentEngine({
    timers: false, clock: () => clock.now, rfmRefreshOrders: 1_000_000,
    emit: async (workspaceId, events) => {
      for (const event of events) emitted.push({ workspaceId, event });
    },
    onChange: (c) => changes.push(c),
    ...options,
  });
  engine.attach(processor);
  return {
    processor, engine, events: new EventMaker(), clock, changes, emitted,
    async feed(event) {
      const before = changes.length;
      await processor.process([event]);
      await engine.flush();
      return changes.slice(before);
    },
  };
}

/** A short summary of changes for assertions: `entered vip u1 @e7`. */
export function summary(changes: readonly MembershipChange[]): string[] {
  return changes.map((c) => `${c.change} ${c.segmentId} ${c.user} @${c.cause}`);
}
