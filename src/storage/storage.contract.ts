import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../core/events.js';
import { AppError } from '../core/errors.js';
import type { ModelRecord } from './model-store.js';
import type { Storage } from './storage.js';

/**
 * The ONE contract every storage back end passes (DESIGN.md rule 3). Each implementation's test file
 * calls this with a function that opens a fresh, empty storage.
 */
export function storageContract(name: string, open: () => Promise<Storage>, options: { skip?: string } = {}): void {
  describe.skipIf(options.skip !== undefined)(`storage contract: ${name}${options.skip ? ` (skipped: ${options.skip})` : ''}`, () => {
    let storage: Storage;
    let seq = 0;
    const event = (over: Partial<NormalizedEvent>): NormalizedEvent => ({
      workspaceId: 'shop-a', messageId: `m-${++seq}`, type: 'track', event: 'Product Viewed', userId: null, anonymousId: null,
      previousId: null, timestamp: 1_700_000_000_000 + seq, receivedAt: 1_700_000_000_000 + seq, channel: 'web',
      properties: {}, traits: {}, context: {}, ...over,
    });

    beforeAll(async () => {
      storage = await open();
      for (const id of ['shop-a', 'shop-b']) await storage.workspaces.createWorkspace({ id, name: id.toUpperCase(), createdAt: 1 });
    });
    afterAll(async () => storage?.close());

    it('answers ping and names its dialect', async () => {
      await storage.ping();
      expect(['sqlite', 'postgres']).toContain(storage.capabilities.dialect);
    });

    describe('workspaces and keys', () => {
      it('creates, reads and lists workspaces; a duplicate id is refused', async () => {
        expect(await storage.workspaces.getWorkspace('shop-a')).toEqual({ id: 'shop-a', name: 'SHOP-A', createdAt: 1 });
        expect((await storage.workspaces.listWorkspaces()).map((w) => w.id)).toEqual(['shop-a', 'shop-b']);
        await expect(storage.workspaces.createWorkspace({ id: 'shop-a', name: 'again', createdAt: 2 })).rejects.toThrow();
        expect(await storage.workspaces.getWorkspace('nope')).toBeUndefined();
      });

      it('stores keys by hash, lists them per workspace and revokes once', async () => {
        const key = { id: 'k1', workspaceId: 'shop-a', name: 'server', prefix: 'sw_abc', hash: 'h1', scopes: ['ingest' as const, 'read' as const], createdAt: 5, revokedAt: null };
        await storage.workspaces.createKey(key);
        expect(await storage.workspaces.findKeyByHash('h1')).toEqual(key);
        expect(await storage.workspaces.listKeys('shop-b')).toEqual([]);
        expect(await storage.workspaces.revokeKey('shop-b', 'k1', 9)).toBe(false);
        expect(await storage.workspaces.revokeKey('shop-a', 'k1', 9)).toBe(true);
        expect(await storage.workspaces.revokeKey('shop-a', 'k1', 10)).toBe(false);
        expect((await storage.workspaces.findKeyByHash('h1'))?.revokedAt).toBe(9);
      });
    });

    describe('users', () => {
      it('upserts with created/updated counts; the last duplicate in a batch wins', async () => {
        const counts = await storage.users.upsert('shop-a', [
          { id: 'u1', traits: { name: '张三' } }, { id: 'u2', consent: { marketing: false } }, { id: 'u1', traits: { name: 'Zhang 😀' } },
        ], 100);
        expect(counts).toEqual({ created: 2, updated: 0 });
        expect(await storage.users.upsert('shop-a', [{ id: 'u2', consent: { marketing: true, analytics: true } }, { id: 'u3' }], 200)).toEqual({ created: 1, updated: 1 });
        expect(await storage.users.get('shop-a', 'u1')).toMatchObject({ traits: { name: 'Zhang 😀' }, consent: {}, createdAt: 100 });
        expect(await storage.users.get('shop-a', 'u2')).toMatchObject({ consent: { marketing: true, analytics: true }, createdAt: 100, updatedAt: 200 });
      });

      it('keeps workspaces apart', async () => {
        expect(await storage.users.get('shop-b', 'u1')).toBeUndefined();
        await storage.users.upsert('shop-b', [{ id: 'u1', traits: { shop: 'b' } }], 300);
        expect((await storage.users.get('shop-a', 'u1'))?.traits).toEqual({ name: 'Zhang 😀' });
        expect(await storage.users.count('shop-b')).toBe(1);
      });

      it('pages in id order with a cursor', async () => {
        await storage.users.upsert('shop-a', Array.from({ length: 7 }, (_, i) => ({ id: `p${i}` })), 400);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await storage.users.list('shop-a', { limit: 4, cursor });
          seen.push(...page.items.map((u) => u.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'u1', 'u2', 'u3']);
      });

      it('soft-deletes, hides deleted users, and an upsert brings one back', async () => {
        expect(await storage.users.softDelete('shop-a', 'u3', 500)).toBe(true);
        expect(await storage.users.softDelete('shop-a', 'u3', 501)).toBe(false);
        expect(await storage.users.get('shop-a', 'u3')).toBeUndefined();
        expect((await storage.users.get('shop-a', 'u3', { includeDeleted: true }))?.deletedAt).toBe(500);
        const listed = await storage.users.list('shop-a', { limit: 100 });
        expect(listed.items.map((u) => u.id)).not.toContain('u3');
        await storage.users.upsert('shop-a', [{ id: 'u3' }], 600);
        expect((await storage.users.get('shop-a', 'u3'))?.deletedAt).toBeNull();
      });

      it('rejects a cursor it did not make', async () => {
        await expect(storage.users.list('shop-a', { limit: 2, cursor: 'garbage' })).rejects.toBeInstanceOf(AppError);
      });
    });

    describe('items', () => {
      const guitar = {
        id: 'g1', title: '民谣吉他 Folk guitar', description: '云杉面板 🎸', translations: { en: { title: 'Folk guitar' } },
        categoryPath: ['乐器', 'Guitars', 'Acoustic'], brand: 'Yamaha', price: 1299.5, currency: 'CNY', tags: ['wood', '入门'],
        imageUrl: 'https://img.example/g1.jpg', attributes: { strings: 6, left: false }, stock: 3, sponsored: true, createdAt: '2024-01-02T03:04:05Z',
      };

      it('round-trips every field', async () => {
        expect(await storage.items.upsert('shop-a', [guitar], 1000)).toEqual({ created: 1, updated: 0 });
        const { workspaceId, createdAt, updatedAt, deletedAt, ...rest } = (await storage.items.get('shop-a', 'g1'))!;
        expect(rest).toEqual({ ...guitar, createdAt: undefined });
        expect([workspaceId, createdAt, updatedAt, deletedAt]).toEqual(['shop-a', Date.parse('2024-01-02T03:04:05Z'), 1000, null]);
      });

      it('fills defaults for a minimal item and replaces on upsert, keeping createdAt', async () => {
        await storage.items.upsert('shop-a', [{ id: 'm1', title: 'Mic' }], 1100);
        expect(await storage.items.get('shop-a', 'm1')).toMatchObject({ description: null, categoryPath: [], tags: [], price: null, sponsored: false, stock: null });
        expect(await storage.items.upsert('shop-a', [{ id: 'm1', title: 'Mic 2', categoryPath: ['Guitars'] }], 1200)).toEqual({ created: 0, updated: 1 });
        expect(await storage.items.get('shop-a', 'm1')).toMatchObject({ title: 'Mic 2', createdAt: 1100, updatedAt: 1200 });
      });

      it('filters by category prefix on whole path segments', async () => {
        await storage.items.upsert('shop-a', [{ id: 'x1', title: 'x', categoryPath: ['乐器', 'Guitars'] }, { id: 'x2', title: 'x', categoryPath: ['乐器', 'GuitarsX'] }], 1300);
        const ids = async (prefix: string[]) => (await storage.items.list('shop-a', { limit: 50, categoryPrefix: prefix })).items.map((i) => i.id);
        expect(await ids(['乐器', 'Guitars'])).toEqual(['g1', 'x1']);
        expect(await ids(['乐器'])).toEqual(['g1', 'x1', 'x2']);
        expect(await ids(['Guitars'])).toEqual(['m1']);
      });

      it('soft-deletes and counts live items only', async () => {
        expect(await storage.items.count('shop-a')).toBe(4);
        expect(await storage.items.softDelete('shop-a', 'x2', 1400)).toBe(true);
        expect(await storage.items.count('shop-a')).toBe(3);
        expect(await storage.items.get('shop-b', 'g1')).toBeUndefined();
        expect(await storage.items.softDelete('shop-b', 'g1', 1400)).toBe(false);
      });
    });

    describe('events', () => {
      it('stores a group, marks repeats (in the group and later) as duplicates, per workspace', async () => {
        const a = event({ messageId: 'dup-1', userId: 'buyer', properties: { productId: 'g1', 名字: '吉他 🎸' } });
        const statuses = await storage.events.append([a, event({}), { ...a }, event({ workspaceId: 'shop-b', messageId: 'dup-1' })]);
        expect(statuses).toEqual(['stored', 'stored', 'duplicate', 'stored']);
        expect(await storage.events.append([{ ...a, properties: { changed: true } }])).toEqual(['duplicate']);
        const stored = await storage.events.getByMessageId('shop-a', 'dup-1');
        expect(stored).toMatchObject({ userId: 'buyer', properties: { productId: 'g1', 名字: '吉他 🎸' }, channel: 'web', type: 'track' });
        expect(await storage.events.count('shop-a', { userId: 'buyer' })).toBe(1);
        expect(await storage.users.get('shop-a', 'buyer')).toBeDefined();
      });

      it('pages in log order and filters', async () => {
        await storage.events.append(Array.from({ length: 5 }, (_, i) => event({ messageId: `pg-${i}`, userId: 'pager', event: i % 2 ? 'Product Added' : 'Product Viewed', timestamp: 2_000 + i })));
        const first = await storage.events.list('shop-a', { userId: 'pager', limit: 3 });
        const second = await storage.events.list('shop-a', { userId: 'pager', limit: 3, cursor: first.nextCursor });
        expect([...first.items, ...second.items].map((e) => e.messageId)).toEqual(['pg-0', 'pg-1', 'pg-2', 'pg-3', 'pg-4']);
        expect(second.nextCursor).toBeUndefined();
        expect(await storage.events.count('shop-a', { userId: 'pager', event: 'Product Added' })).toBe(2);
        expect(await storage.events.count('shop-a', { userId: 'pager', since: 2_001, until: 2_004 })).toBe(3);
      });

      it('identify attributes the anonymous history and later anonymous events, and merges traits', async () => {
        await storage.events.append([event({ anonymousId: 'anon-1' }), event({ anonymousId: 'anon-1', event: 'Product Added' })]);
        expect(await storage.events.count('shop-a', { userId: 'alice' })).toBe(0);
        await storage.events.append([
          event({ type: 'identify', event: 'identify', userId: 'alice', anonymousId: 'anon-1', traits: { city: '上海' } }),
          event({ anonymousId: 'anon-1', event: 'Order Completed' }),
        ]);
        await storage.events.append([event({ type: 'identify', event: 'identify', userId: 'alice', traits: { vip: true } })]);
        expect(await storage.events.count('shop-a', { userId: 'alice' })).toBe(5);
        expect(await storage.events.resolveIdentity('shop-a', 'anon-1')).toBe('alice');
        expect(await storage.events.resolveIdentity('shop-b', 'anon-1')).toBeUndefined();
        expect((await storage.users.get('shop-a', 'alice'))?.traits).toEqual({ city: '上海', vip: true });
        // The first identification of a device wins; a second user on it does not take its history.
        await storage.events.append([event({ type: 'identify', event: 'identify', userId: 'mallory', anonymousId: 'anon-1' })]);
        expect(await storage.events.count('shop-a', { userId: 'alice' })).toBe(5);
      });

      it('alias merges a previous id into the user', async () => {
        await storage.events.append([event({ userId: 'old-id' }), event({ anonymousId: 'anon-2' }), event({ userId: 'old-id' })]);
        await storage.events.append([event({ type: 'alias', event: 'alias', userId: 'new-id', previousId: 'old-id' })]);
        await storage.events.append([event({ type: 'alias', event: 'alias', userId: 'new-id', previousId: 'anon-2' })]);
        expect(await storage.events.count('shop-a', { userId: 'old-id' })).toBe(0);
        expect(await storage.events.count('shop-a', { userId: 'new-id' })).toBe(5);
      });

      it('reads the log after a position in ascending seq across workspaces, with users as attributed now', async () => {
        const start = (await storage.events.readAfter(0, 100_000)).at(-1)?.seq ?? 0;
        await storage.events.append([
          event({ messageId: 'ra-1', anonymousId: 'anon-ra' }), event({ messageId: 'ra-2', workspaceId: 'shop-b', userId: 'bob' }),
          event({ messageId: 'ra-3', anonymousId: 'anon-ra', event: 'Product Added' }),
        ]);
        await storage.events.append([event({ messageId: 'ra-1' }), event({ messageId: 'ra-4', type: 'identify', event: 'identify', userId: 'rita', anonymousId: 'anon-ra' })]);
        const after = await storage.events.readAfter(start, 100);
        expect(after.map((e) => [e.workspaceId, e.messageId, e.userId])).toEqual([
          ['shop-a', 'ra-1', 'rita'], ['shop-b', 'ra-2', 'bob'], ['shop-a', 'ra-3', 'rita'], ['shop-a', 'ra-4', 'rita'],
        ]);
        const seqs = after.map((e) => e.seq);
        expect(seqs.every((s, i) => s > start && (i === 0 || s > seqs[i - 1]!))).toBe(true);
        expect(after[2]).toMatchObject({ event: 'Product Added', anonymousId: 'anon-ra', properties: {}, type: 'track' });
        // A limit cuts the page; the last seq read is the next position; nothing after the end.
        const firstTwo = await storage.events.readAfter(start, 2);
        expect(firstTwo.map((e) => e.messageId)).toEqual(['ra-1', 'ra-2']);
        expect((await storage.events.readAfter(firstTwo[1]!.seq, 10)).map((e) => e.messageId)).toEqual(['ra-3', 'ra-4']);
        expect(await storage.events.readAfter(seqs.at(-1)!, 10)).toEqual([]);
      });

      it('appends an empty group as a no-op and a large group in one call', async () => {
        expect(await storage.events.append([])).toEqual([]);
        const big = Array.from({ length: 3000 }, (_, i) => event({ messageId: `big-${i}`, anonymousId: `a${i % 50}` }));
        const statuses = await storage.events.append(big);
        expect(statuses.filter((s) => s === 'stored')).toHaveLength(3000);
        expect(await storage.events.count('shop-a', { anonymousId: 'a7' })).toBe(60);
      });
    });

    describe('models', () => {
      const record = (name: string, data: Uint8Array, over: Partial<ModelRecord> = {}): ModelRecord => ({
        name, model: 'ease', params: { lambda: 250, 名字: '模型' }, metrics: { ndcg: 0.31, fit: { seconds: 1.5 } }, createdAt: 5_000, data, ...over,
      });
      const bytes = (...values: number[]) => Uint8Array.from(values);

      it('counts versions up from 1 per (workspace, name) and returns what it stored', async () => {
        const first = await storage.models.save('shop-a', record('default', bytes(1, 2, 3), { createdAt: 5_001 }));
        expect(first).toEqual({ workspaceId: 'shop-a', name: 'default', version: 1, model: 'ease', params: { lambda: 250, 名字: '模型' }, metrics: { ndcg: 0.31, fit: { seconds: 1.5 } }, bytes: 3, createdAt: 5_001 });
        expect((await storage.models.save('shop-a', record('default', bytes(4, 5), { model: 'als', createdAt: 5_002 }))).version).toBe(2);
        expect((await storage.models.save('shop-a', record('similar', bytes(9), { createdAt: 5_003 }))).version).toBe(1);
        expect((await storage.models.save('shop-b', record('default', bytes(7), { createdAt: 5_004 }))).version).toBe(1);
      });

      it('returns the newest version with its bytes, byte for byte, also for a 3 MB random file', async () => {
        const big = new Uint8Array(3 * 1024 * 1024);
        // A fixed linear congruential sequence: random-looking bytes (every value 0–255, zeros included), the same on every run.
        let x = 12345;
        for (let i = 0; i < big.length; i++) {
          x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
          big[i] = x >>> 24;
        }
        const saved = await storage.models.save('shop-a', record('default', big, { createdAt: 5_010 }));
        expect(saved).toMatchObject({ version: 3, bytes: big.length });
        const latest = await storage.models.latest('shop-a', 'default');
        expect(latest?.info).toEqual(saved);
        expect(latest?.data).toBeInstanceOf(Uint8Array);
        expect(latest!.data.byteLength).toBe(big.length);
        expect(Buffer.compare(Buffer.from(latest!.data), Buffer.from(big))).toBe(0);
        expect(await storage.models.latest('shop-a', 'missing')).toBeUndefined();
      });

      it('gets a version by number', async () => {
        const second = await storage.models.get('shop-a', 'default', 2);
        expect(second?.info).toMatchObject({ version: 2, model: 'als', bytes: 2, createdAt: 5_002 });
        expect(Array.from(second!.data)).toEqual([4, 5]);
        expect(Array.from((await storage.models.get('shop-a', 'default', 1))!.data)).toEqual([1, 2, 3]);
        expect(await storage.models.get('shop-a', 'default', 99)).toBeUndefined();
      });

      it('lists newest first, of one name or of all names, without reading the bytes', async () => {
        const one = await storage.models.list('shop-a', 'default');
        expect(one.map((m) => m.version)).toEqual([3, 2, 1]);
        expect(one[0]).not.toHaveProperty('data');
        const all = await storage.models.list('shop-a');
        expect(all.map((m) => `${m.name}@${m.version}`)).toEqual(['default@3', 'similar@1', 'default@2', 'default@1']);
        expect(await storage.models.list('shop-a', 'missing')).toEqual([]);
      });

      it('keeps workspaces apart', async () => {
        expect((await storage.models.list('shop-b')).map((m) => `${m.workspaceId}/${m.name}@${m.version}`)).toEqual(['shop-b/default@1']);
        expect(Array.from((await storage.models.latest('shop-b', 'default'))!.data)).toEqual([7]);
        expect(await storage.models.get('shop-b', 'default', 2)).toBeUndefined();
        expect(await storage.models.latest('shop-c', 'default')).toBeUndefined();
      });

      it('prunes all but the newest N versions of one name, and only of that name and workspace', async () => {
        for (let i = 0; i < 3; i++) await storage.models.save('shop-a', record('pruned', bytes(i), { createdAt: 6_000 + i }));
        await storage.models.save('shop-b', record('pruned', bytes(0)));
        expect(await storage.models.prune('shop-a', 'pruned', 2)).toBe(1);
        expect((await storage.models.list('shop-a', 'pruned')).map((m) => m.version)).toEqual([3, 2]);
        expect(await storage.models.prune('shop-a', 'pruned', 2)).toBe(0);
        expect(await storage.models.prune('shop-a', 'pruned', 5)).toBe(0);
        expect((await storage.models.list('shop-b', 'pruned')).map((m) => m.version)).toEqual([1]);
        expect((await storage.models.list('shop-a', 'default'))).toHaveLength(3);
        // Versions keep counting after a prune: a pruned number is never given again.
        expect((await storage.models.save('shop-a', record('pruned', bytes(9)))).version).toBe(4);
        expect(await storage.models.prune('shop-a', 'pruned', 0)).toBe(3);
        await expect(storage.models.prune('shop-a', 'pruned', -1)).rejects.toBeInstanceOf(AppError);
      });

      it('gives concurrent saves of one name different versions', async () => {
        const saved = await Promise.all(Array.from({ length: 6 }, (_, i) => storage.models.save('shop-a', record('race', bytes(i), { createdAt: 7_000 + i }))));
        expect(saved.map((m) => m.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
        for (const info of saved) expect(Array.from((await storage.models.get('shop-a', 'race', info.version))!.data)).toEqual([info.createdAt - 7_000]);
      });

      it('refuses a record without a name or model', async () => {
        await expect(storage.models.save('shop-a', record('', bytes(1)))).rejects.toBeInstanceOf(AppError);
        await expect(storage.models.save('shop-a', record('x', bytes(1), { model: '' }))).rejects.toBeInstanceOf(AppError);
      });
    });

    describe('segments', () => {
      it('creates and replaces definitions, keeping createdAt, per workspace', async () => {
        const first = await storage.segments.put('shop-a', { id: 'vip', name: 'VIP 贵宾', kind: 'rule', rule: 'rfm.orders >= 5', description: 'big buyers' }, 100);
        expect(first).toEqual({ created: true, record: { workspaceId: 'shop-a', id: 'vip', name: 'VIP 贵宾', description: 'big buyers', kind: 'rule', rule: 'rfm.orders >= 5', userIds: [], listSize: 0, createdAt: 100, updatedAt: 100 } });
        const again = await storage.segments.put('shop-a', { id: 'vip', name: 'VIP 贵宾', kind: 'rule', rule: 'rfm.orders >= 6' }, 200);
        expect(again).toMatchObject({ created: false, record: { rule: 'rfm.orders >= 6', description: null, createdAt: 100, updatedAt: 200 } });
        expect(await storage.segments.get('shop-a', 'vip')).toEqual(again.record);
        expect(await storage.segments.get('shop-b', 'vip')).toBeUndefined();
        await storage.segments.put('shop-b', { id: 'vip', name: 'VIP 贵宾', kind: 'rule', rule: 'events > 1' }, 300);
        expect((await storage.segments.get('shop-a', 'vip'))?.rule).toBe('rfm.orders >= 6');
      });

      it('stores static lists (deduplicated) and lists segments without their ids, by creation time', async () => {
        const list = await storage.segments.put('shop-a', { id: 'upload-1', name: 'uploaded', kind: 'list', userIds: ['u1', 'u2', 'u1', '用户3'] }, 150);
        expect(list.record).toMatchObject({ kind: 'list', rule: null, userIds: ['u1', 'u2', '用户3'], listSize: 3 });
        const listed = await storage.segments.list('shop-a');
        expect(listed.map((s) => s.id)).toEqual(['vip', 'upload-1']);
        expect(listed[1]).toEqual({ workspaceId: 'shop-a', id: 'upload-1', name: 'uploaded', description: null, kind: 'list', rule: null, listSize: 3, createdAt: 150, updatedAt: 150 });
        expect(await storage.segments.list('shop-c')).toEqual([]);
      });

      it('refuses a name another segment of the workspace has, and incomplete definitions', async () => {
        await expect(storage.segments.put('shop-a', { id: 'other', name: 'uploaded', kind: 'rule', rule: 'events > 0' }, 400)).rejects.toMatchObject({ kind: 'conflict' });
        await expect(storage.segments.put('shop-a', { id: 'r', name: 'r', kind: 'rule' }, 400)).rejects.toMatchObject({ kind: 'invalid' });
        await expect(storage.segments.put('shop-a', { id: 'l', name: 'l', kind: 'list' }, 400)).rejects.toMatchObject({ kind: 'invalid' });
        expect(await storage.segments.get('shop-a', 'other')).toBeUndefined();
      });

      it('deletes once', async () => {
        expect(await storage.segments.delete('shop-a', 'upload-1')).toBe(true);
        expect(await storage.segments.delete('shop-a', 'upload-1')).toBe(false);
        expect(await storage.segments.delete('shop-b', 'upload-1')).toBe(false);
        expect((await storage.segments.list('shop-a')).map((s) => s.id)).toEqual(['vip']);
      });
    });
  });
}
