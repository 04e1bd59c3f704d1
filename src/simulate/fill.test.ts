import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitWriter } from '../ingest/group-commit.js';
import { IngestService } from '../ingest/ingest-service.js';
import { openSqlite } from '../storage/sqlite/open-sqlite.js';
import type { Storage } from '../storage/storage.js';
import { fillDemoShop, fillShop } from './fill.js';
import { generateShop } from './shop.js';
import { loadTruth } from './truth.js';

describe('fillShop into SQLite', () => {
  let storage: Storage;
  let ingest: IngestService;
  beforeEach(async () => {
    storage = await openSqlite({ file: ':memory:' });
    ingest = new IngestService(new GroupCommitWriter(storage.events, 50_000), { maxEventBytes: 65536 });
  });
  afterEach(async () => {
    await storage.close();
  });

  it('stores the whole shop, and a second fill stores nothing new', async () => {
    const shop = generateShop({ seed: 3, users: 200, items: 400, days: 14 });
    const target = { items: storage.items, users: storage.users, ingest };
    const progress: [number, number][] = [];
    const first = await fillShop(target, 'shop', shop, (done, total) => progress.push([done, total]), { batchSize: 1000 });
    expect(first).toEqual({
      items: { created: 400, updated: 0 }, users: { created: 200, updated: 0 },
      events: { stored: shop.events.length, duplicates: 0 },
    });
    const total = 400 + 200 + shop.events.length;
    expect(progress[0]).toEqual([0, total]);
    expect(progress[progress.length - 1]).toEqual([total, total]);
    expect(progress.every(([done], i) => i === 0 || done >= progress[i - 1]![0])).toBe(true);
    expect(await storage.items.count('shop')).toBe(400);
    expect(await storage.users.count('shop')).toBe(200);
    expect(await storage.events.count('shop')).toBe(shop.events.length);

    const item = (await storage.items.get('shop', shop.items[0]!.id))!;
    expect(item.translations.en!.title).toBe(shop.items[0]!.translations!.en!.title);
    expect(item.categoryPath).toHaveLength(3);

    // Anonymous events were attributed to their users once they logged in.
    const identified = new Set(shop.events.filter((e) => e.type === 'identify').map((e) => e.anonymousId));
    const anonymous = shop.events.filter((e) => e.userId === undefined && identified.has(e.anonymousId));
    expect(anonymous.length).toBeGreaterThan(0);
    for (const event of anonymous.slice(0, 20)) expect((await storage.events.getByMessageId('shop', event.messageId!))!.userId).toMatch(/^u-/);

    const second = await fillShop(target, 'shop', shop);
    expect(second.events).toEqual({ stored: 0, duplicates: shop.events.length });
    expect(second.items).toEqual({ created: 0, updated: 400 });
    expect(await storage.events.count('shop')).toBe(shop.events.length);
  });

  it('throws a clear error when ingest rejects a generated event', async () => {
    const shop = generateShop({ seed: 3, users: 20, items: 50, days: 3 });
    const broken = { ...shop, events: [...shop.events.slice(0, 5), { type: 'track' as const, event: 'Order Completed', userId: 'u-1', messageId: 'bad-1', properties: { revenue: -1 } }] };
    await expect(fillShop({ items: storage.items, users: storage.users, ingest }, 'shop', broken)).rejects.toThrow(/simulator bug.*bad-1 \/properties\/revenue/);
  });

  it('fillDemoShop generates, fills the default workspace and saves the ground truth', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shopwise-sim-'));
    try {
      const services = { config: { defaultWorkspace: 'demo', dataDir }, storage, ingest };
      const result = await fillDemoShop(services, { seed: 5, users: 50, items: 100, days: 5 });
      expect(result.items.created).toBe(100);
      expect(result.events.stored).toBeGreaterThan(100);
      expect(result.truthPath).toBe(join(dataDir, 'demo-truth.json'));
      const truth = loadTruth(result.truthPath);
      expect(truth.userTruth).toHaveLength(50);
      expect(await storage.events.count('demo')).toBe(result.events.stored);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
