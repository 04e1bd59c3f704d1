import { describe, expect, it } from 'vitest';
import { DAY_MS, engineHarness, summary, T0 } from './segment-fixtures.js';

const guitarOrder = (productId: string, price: number) => ({ orderId: `o-${productId}-${price}`, revenue: price, products: [{ productId, quantity: 1, price }] });

describe('segment membership changes on exactly the event that crosses the boundary', () => {
  it('enters on the crossing event and not before or after, and is emitted as a Segment Entered event', async () => {
    const h = engineHarness();
    await h.engine.define('shop', { id: 'yamaha-buyers', name: 'Yamaha buyers', kind: 'rule', rule: 'rfm.orders >= 2 AND viewed(brand = "Yamaha", days = 7) >= 3' });
    const u = { userId: 'u1' };
    const steps = [
      h.events.track(u, 'Product Viewed', { productId: 'p1' }), // Yamaha view 1
      h.events.track(u, 'Product Viewed', { productId: 'p2' }), // Roland: not counted
      h.events.track(u, 'Product Viewed', { productId: 'p3' }), // Yamaha view 2
      h.events.track(u, 'Order Completed', guitarOrder('p1', 10)), // order 1
      h.events.track(u, 'Order Completed', guitarOrder('p3', 30)), // order 2: still 2 Yamaha views
      h.events.track({ userId: 'u2' }, 'Product Viewed', { productId: 'p5' }), // someone else
      h.events.track(u, 'Product Viewed', { productId: 'p5' }), // Yamaha view 3: crosses
      h.events.track(u, 'Product Viewed', { productId: 'p7' }), // still inside
      h.events.track(u, 'Order Completed', guitarOrder('p7', 70)),
    ];
    const caused: string[][] = [];
    for (const e of steps) caused.push(summary(await h.feed(e)));
    expect(caused).toEqual([[], [], [], [], [], [], ['entered yamaha-buyers u1 @e7'], [], []]);
    expect(h.emitted).toEqual([{
      workspaceId: 'shop',
      event: { type: 'track', event: 'Segment Entered', userId: 'u1', properties: { segmentId: 'yamaha-buyers' }, timestamp: steps[6]!.timestamp, messageId: expect.stringMatching(/^seg-[A-Za-z0-9_-]{27}$/) },
    }]);
    expect(h.engine.segmentsOf('shop', 'u1')).toEqual(['yamaha-buyers']);
  });

  it('exits on the event that crosses back (cart emptied), and only re-evaluates rules the event can change', async () => {
    const h = engineHarness();
    await h.engine.define('shop', { id: 'carted', name: 'has a cart', kind: 'rule', rule: 'cart.length >= 1' });
    const u = { userId: 'u1' };
    expect(summary(await h.feed(h.events.track(u, 'Product Viewed', { productId: 'p1' })))).toEqual([]);
    expect(summary(await h.feed(h.events.track(u, 'Product Added', { productId: 'p1' })))).toEqual(['entered carted u1 @e2']);
    expect(summary(await h.feed(h.events.track(u, 'Product Added', { productId: 'p2' })))).toEqual([]);
    expect(summary(await h.feed(h.events.track(u, 'Product Removed', { productId: 'p1' })))).toEqual([]);
    expect(summary(await h.feed(h.events.track(u, 'Product Removed', { productId: 'p2' })))).toEqual(['exited carted u1 @e5']);
    expect(h.emitted.map((e) => e.event.event)).toEqual(['Segment Entered', 'Segment Exited']);
  });

  it('ignores its own Segment events when they come back through the log', async () => {
    const h = engineHarness();
    await h.engine.define('shop', { id: 'active', name: 'active', kind: 'rule', rule: 'NOT inactive(days = 1)' });
    expect(summary(await h.feed(h.events.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p1' })))).toEqual(['entered active u1 @e1']);
    expect(summary(await h.feed(h.events.track({ userId: 'u1' }, 'Segment Entered', { segmentId: 'active' }, { timestamp: T0 + 5 * DAY_MS })))).toEqual([]);
    h.clock.now = T0 + 3 * DAY_MS;
    h.engine.advance();
    await h.engine.flush();
    // The segment event five days later did not count as activity.
    expect(summary(h.changes).at(-1)).toBe(`exited active u1 @t${T0 + 1000 + DAY_MS}`);
  });
});

describe('time-based conditions flip at the deadline, without an event', () => {
  it('inactive(days = 14): enters exactly 14 days after the last event, exits on the next event', async () => {
    const h = engineHarness();
    await h.engine.define('shop', { id: 'lapsed', name: 'lapsed', kind: 'rule', rule: 'rfm.orders >= 1 AND inactive(days = 14)' });
    const order = h.events.track({ userId: 'u1' }, 'Order Completed', guitarOrder('p2', 20));
    await h.feed(order);
    const deadline = order.timestamp + 14 * DAY_MS;
    h.clock.now = deadline - 1;
    h.engine.advance();
    expect(h.changes).toEqual([]);
    h.clock.now = deadline;
    h.engine.advance();
    await h.engine.flush();
    expect(summary(h.changes)).toEqual([`entered lapsed u1 @t${deadline}`]);
    expect(h.emitted[0]!.event).toMatchObject({ event: 'Segment Entered', timestamp: deadline });
    h.clock.now = deadline + DAY_MS;
    h.engine.advance();
    expect(h.changes).toHaveLength(1);
    const back = h.events.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p1' }, { timestamp: deadline + DAY_MS });
    expect(summary(await h.feed(back))).toEqual([`exited lapsed u1 @e${back.seq}`]);
  });

  it('a windowed count exits when its oldest event ages out of the window', async () => {
    const h = engineHarness();
    await h.engine.define('shop', { id: 'browsers', name: 'browsers', kind: 'rule', rule: 'viewed(category = "Guitars", days = 7) >= 2' });
    const first = h.events.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p1' });
    const second = h.events.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p2' }, { timestamp: first.timestamp + DAY_MS });
    await h.feed(first);
    expect(summary(await h.feed(second))).toEqual(['entered browsers u1 @e2']);
    h.clock.now = first.timestamp + 7 * DAY_MS - 1;
    h.engine.advance();
    expect(h.changes).toHaveLength(1);
    h.clock.now = first.timestamp + 7 * DAY_MS;
    h.engine.advance();
    expect(summary(h.changes.slice(1))).toEqual([`exited browsers u1 @t${first.timestamp + 7 * DAY_MS}`]);
  });

  it('days since the last order: enters when the threshold passes', async () => {
    const h = engineHarness();
    await h.engine.define('shop', { id: 'due', name: 'due for a reorder', kind: 'rule', rule: 'rfm.daysSinceLastOrder > 30' });
    const order = h.events.track({ userId: 'u1' }, 'Order Completed', guitarOrder('p4', 40));
    await h.feed(order);
    h.clock.now = order.timestamp + 30 * DAY_MS;
    h.engine.advance();
    expect(h.changes).toEqual([]);
    h.clock.now = order.timestamp + 30 * DAY_MS + 1;
    h.engine.advance();
    expect(summary(h.changes)).toEqual([`entered due u1 @t${order.timestamp + 30 * DAY_MS + 1}`]);
  });

  it('keeps no deadline when time alone cannot change the outcome', async () => {
    const h = engineHarness();
    await h.engine.define('shop', { id: 'lapsed-regulars', name: 'lapsed regulars', kind: 'rule', rule: 'rfm.orders >= 2 AND inactive(days = 7)' });
    await h.feed(h.events.track({ userId: 'once' }, 'Order Completed', guitarOrder('p1', 10)));
    expect(h.engine.pendingDeadlines).toBe(0);
    await h.feed(h.events.track({ userId: 'twice' }, 'Order Completed', guitarOrder('p1', 10)));
    await h.feed(h.events.track({ userId: 'twice' }, 'Order Completed', guitarOrder('p2', 20)));
    expect(h.engine.pendingDeadlines).toBe(1);
  });

  it('fires on its own timer (no advance call) when timers are on', async () => {
    const h = engineHarness({ timers: true });
    await h.engine.define('shop', { id: 'soon', name: 'soon', kind: 'rule', rule: 'inactive(days = 0.0000005)' });
    const e = h.events.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p1' });
    h.clock.now = e.timestamp;
    await h.feed(e);
    h.clock.now = e.timestamp + 1000;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(summary(h.changes)).toEqual([`entered soon u1 @t${e.timestamp + 0.0000005 * DAY_MS}`]);
    await h.engine.close();
  });
});
