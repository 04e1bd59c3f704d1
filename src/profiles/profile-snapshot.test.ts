import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../core/events.js';
import { validateEvent } from '../ingest/validate-event.js';
import { generateShop } from '../simulate/shop.js';
import { DAY_MS } from './decay.js';
import { comparable, EventMaker, profileDifferences, T0, testProcessor } from './profile-fixtures.js';
import { decodeSnapshot, encodeSnapshot, snapshotPath } from './profile-snapshot.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopwise-profiles-'));
  dirs.push(dir);
  return dir;
}

/** 40 users and visitors doing a bit of everything over two weeks. */
function stream(): StoredEvent[] {
  const m = new EventMaker();
  const events: StoredEvent[] = [];
  for (let i = 0; i < 400; i++) {
    const user = i % 40;
    const who = user % 4 === 0 ? { anonymousId: `anon-${user}` } : { userId: `u${user}` };
    const t = T0 + i * (14 * DAY_MS / 400);
    const product = `p${1 + (i % 10)}`;
    const kind = i % 7;
    if (kind === 6 && user % 4 === 0) events.push(m.identify(`u${user}`, `anon-${user}`, { timestamp: t }));
    else if (kind === 5) events.push(m.track(who, 'Order Completed', { revenue: 30, products: [{ productId: product, quantity: 1, price: 30 }] }, { timestamp: t }));
    else if (kind === 4) events.push(m.track(who, 'Products Searched', { query: `q${i % 5}` }, { timestamp: t }));
    else if (kind === 3) events.push(m.track(who, 'Product Added', { productId: product }, { timestamp: t, channel: 'app' }));
    else events.push(m.track(who, 'Product Viewed', { productId: product }, { timestamp: t, channel: 'web', context: { platform: 'web' } }));
  }
  return events;
}

async function allProfiles(processor: ReturnType<typeof testProcessor>, at = T0 + 20 * DAY_MS) {
  const ids = processor.profileIds('shop');
  const out: Record<string, unknown> = {};
  for (const id of [...ids.users, ...ids.anonymous].sort()) out[id] = comparable(await processor.getProfile('shop', id, { at }));
  return out;
}

describe('profile snapshots', () => {
  it('encodes and decodes arrays of any length bit for bit', () => {
    const arrays = { a: Float64Array.of(Math.PI, -0, Number.MIN_VALUE), b: Float32Array.of(1.5), c: Uint32Array.of(1, 2, 3), d: Int32Array.of(-7, 9, 11, 13, 15) };
    const chunks = encodeSnapshot({ header: { position: 42, 名字: '快照' }, arrays });
    const decoded = decodeSnapshot(Buffer.concat(chunks));
    expect(decoded.header).toEqual({ position: 42, 名字: '快照' });
    for (const [name, array] of Object.entries(arrays)) expect(Buffer.from(decoded.arrays[name]!.buffer).equals(Buffer.from(array.buffer))).toBe(true);
    expect(() => decodeSnapshot(Buffer.from('not a snapshot'))).toThrow(/bad magic/);
    expect(() => decodeSnapshot(Buffer.concat(chunks).subarray(0, 40))).toThrow(/truncated/);
  });

  it('restarts from a snapshot and replays after its position: equal to one uninterrupted run, nothing counted twice', async () => {
    const events = stream();
    const whole = testProcessor();
    await whole.process(events);

    const dir = tempDir();
    const first = testProcessor({ snapshotPath: snapshotPath(dir) });
    await first.start();
    await first.process(events.slice(0, 170));
    await first.snapshotNow();
    await first.process(events.slice(170, 260)); // applied, then lost in a "crash": no close, no snapshot

    const second = testProcessor({ snapshotPath: snapshotPath(dir) });
    const restored = await second.start();
    expect(restored).toMatchObject({ from: 'snapshot', position: 170 });
    // The source delivers from the start again (at-least-once): the first 170 are ignored.
    await second.process(events);
    expect(second.stats()).toMatchObject({ position: 400, redelivered: 170 });
    expect(profileDifferences(await allProfiles(second), await allProfiles(whole))).toEqual([]);
    expect(Object.keys(await allProfiles(whole)).length).toBeGreaterThan(30);
    await second.close();
    expect(readdirSync(join(dir, 'profiles'))).toEqual(['profiles.snapshot']);
  });

  it('continues exactly from a snapshot taken at any position of a simulated shop', async () => {
    const end = Date.UTC(2026, 5, 1);
    const shop = generateShop({ seed: 3, users: 60, items: 80, days: 7, start: end - 7 * DAY_MS });
    const items = new Map(shop.items.map((i) => [i.id, { categoryPath: i.categoryPath ?? [], brand: i.brand ?? null, tags: i.tags ?? [], price: i.price ?? null }]));
    const consents = new Map(shop.users.map((u) => [u.id, u.consent ?? {}]));
    const log = shop.events.map((raw, i): StoredEvent => {
      const result = validateEvent(raw, { workspaceId: 'shop', now: end + DAY_MS, maxEventBytes: 65_536 });
      if (!result.ok) throw new Error(result.error.message);
      return { ...result.event, seq: i + 1 };
    });
    const options = { items, consents, utcOffsetMinutes: 480 };
    const whole = testProcessor(options);
    for (let i = 0; i < log.length; i += 40) await whole.process(log.slice(i, i + 40));
    const expected = await allProfiles(whole, end);
    for (const cut of [1, 97, Math.floor(log.length / 3), Math.floor(log.length * 0.77)]) {
      const path = snapshotPath(tempDir());
      const before = testProcessor({ ...options, snapshotPath: path });
      await before.start();
      for (let i = 0; i < cut; i += 40) await before.process(log.slice(i, Math.min(cut, i + 40)));
      await before.snapshotNow();
      const after = testProcessor({ ...options, snapshotPath: path });
      expect((await after.start()).position).toBe(cut);
      for (let i = 0; i < log.length; i += 40) await after.process(log.slice(i, i + 40));
      expect(profileDifferences(await allProfiles(after, end), expected), `cut at ${cut}`).toEqual([]);
    }
  });

  it('snapshots every N events on its own and on close', async () => {
    const dir = tempDir();
    const processor = testProcessor({ snapshotPath: snapshotPath(dir), snapshotEveryEvents: 100 });
    await processor.start();
    const events = stream();
    for (let i = 0; i < 250; i += 50) await processor.process(events.slice(i, i + 50));
    // Written in the background once 100 events were applied (a write in flight defers the next one).
    await vi.waitFor(() => expect(processor.stats().snapshots.written).toBeGreaterThanOrEqual(1));
    const meanwhile = testProcessor({ snapshotPath: snapshotPath(dir) });
    const { position } = await meanwhile.start();
    expect(position % 50 === 0 && position >= 100 && position <= 250).toBe(true);
    await processor.close();
    expect(processor.stats().snapshots).toMatchObject({ lastPosition: 250 });
    const again = testProcessor({ snapshotPath: snapshotPath(dir) });
    expect(await again.start()).toMatchObject({ from: 'snapshot', position: 250 });
  });

  it('ignores a snapshot made with other settings and moves a corrupt one aside, replaying from the start', async () => {
    const dir = tempDir();
    const path = snapshotPath(dir);
    const a = testProcessor({ snapshotPath: path });
    await a.start();
    await a.process(stream().slice(0, 50));
    await a.close();
    const b = testProcessor({ snapshotPath: path, halfLifeDays: 3 });
    expect(await b.start()).toMatchObject({ from: 'discarded', position: 0, reason: expect.stringMatching(/other profile settings/) });
    writeFileSync(path, 'garbage');
    const c = testProcessor({ snapshotPath: path });
    expect(await c.start()).toMatchObject({ from: 'discarded', position: 0, reason: expect.stringMatching(/moved to/) });
    expect(readdirSync(join(dir, 'profiles')).some((f) => f.startsWith('profiles.snapshot.corrupt-'))).toBe(true);
  });
});
