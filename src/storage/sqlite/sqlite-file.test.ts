import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storageContract } from '../storage.contract.js';
import { openSqlite } from './open-sqlite.js';

// A database file: events are committed by the writer thread, as in production.
const dir = mkdtempSync(join(tmpdir(), 'shopwise-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storageContract('sqlite (file, writer thread)', () => openSqlite({ file: join(dir, `contract-${Date.now()}.db`) }));

describe('catalog writes while the writer thread commits events', () => {
  it('neither side fails with SQLITE_BUSY', async () => {
    const storage = await openSqlite({ file: join(dir, 'busy.db') });
    await storage.workspaces.createWorkspace({ id: 'w', name: 'w', createdAt: 1 });
    const event = (i: number) => ({
      workspaceId: 'w', messageId: `e${i}`, type: 'track' as const, event: 'Product Viewed', userId: `u${i % 300}`, anonymousId: null, previousId: null,
      timestamp: 1_700_000_000_000, receivedAt: 1_700_000_000_000, channel: null, properties: { productId: `p${i}` }, traits: {}, context: {},
    });
    const appends = Array.from({ length: 400 }, (_, b) => storage.events.append(Array.from({ length: 50 }, (_, i) => event(b * 50 + i))));
    const upserts = Array.from({ length: 40 }, (_, i) => storage.items.upsert('w', Array.from({ length: 200 }, (_, j) => ({ id: `i${i}-${j}`, title: 'x' })), 1).then(() => storage.users.upsert('w', [{ id: `u${i}`, traits: { n: i } }], 2)));
    await Promise.all([...appends, ...upserts]);
    expect(await storage.events.count('w')).toBe(20_000);
    expect(await storage.items.count('w')).toBe(8000);
    await storage.close();
  });
});
