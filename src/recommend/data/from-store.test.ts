import { afterEach, describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../core/events.js';
import { AppError } from '../../core/errors.js';
import { openStorage } from '../../storage/open-storage.js';
import type { Storage } from '../../storage/storage.js';
import type { Interactions } from '../interactions.js';
import { loadInteractionsFromStore, type LoadProgress } from './from-store.js';

let storage: Storage | undefined;
afterEach(async () => {
  await storage?.close();
  storage = undefined;
});

let seq = 0;
function event(over: Partial<NormalizedEvent>): NormalizedEvent {
  seq++;
  return {
    workspaceId: 'shop', messageId: `m-${seq}`, type: 'track', event: 'Product Viewed', userId: null, anonymousId: null, previousId: null,
    timestamp: 1_700_000_000_000 + seq, receivedAt: 1_700_000_000_000 + seq, channel: 'web', properties: {}, traits: {}, context: {}, ...over,
  };
}

async function shop(events: NormalizedEvent[]): Promise<Storage> {
  storage = await openStorage('sqlite::memory:');
  for (const id of ['shop', 'other']) await storage.workspaces.createWorkspace({ id, name: id, createdAt: 1 });
  await storage.items.upsert('shop', [
    { id: 'g1', title: '民谣吉他', description: '云杉面板', categoryPath: ['乐器', 'Guitars'], tags: ['wood'], brand: 'Yamaha' },
    { id: 'p1', title: 'Picks' },
    { id: 'cold', title: 'Never seen amp', categoryPath: ['乐器', 'Amps'] },
    { id: 'gone', title: 'Deleted, never seen' },
    { id: 's1', title: 'Strings, deleted after a sale' },
  ], 10);
  await storage.items.softDelete('shop', 'gone', 20);
  await storage.items.softDelete('shop', 's1', 20);
  await storage.events.append(events);
  return storage;
}

/** The rows as readable tuples: [user, item, value]. */
function rows(data: Interactions): [string, string, number][] {
  return Array.from(data.user, (u, r) => [data.users.idOf(u), data.items.idOf(data.item[r]!), data.value[r]!]);
}

describe('loadInteractionsFromStore', () => {
  it('turns events into weighted implicit rows in log order, with negative feedback and anonymous users', async () => {
    const s = await shop([
      event({ userId: 'alice', properties: { productId: 'g1' } }),
      event({ userId: 'alice', event: 'Product Added', properties: { productId: 'g1' } }),
      event({ anonymousId: 'anon-9', properties: { productId: 'p1' } }),
      event({ userId: 'bob', event: 'Order Completed', properties: { products: [{ productId: 'g1' }, { productId: 's1' }] } }),
      event({ userId: 'bob', event: 'Product Not Interested', properties: { productId: 'p1' } }),
      event({ userId: 'bob', event: 'Review Submitted', properties: { productId: 'g1', rating: 5, text: '好听' } }),
      event({ userId: 'bob', event: 'Checkout Started', properties: { productId: 'g1' } }),
      event({ userId: 'bob', properties: {} }),
      event({ type: 'identify', event: 'identify', userId: 'carol', traits: { city: '北京' } }),
      event({ workspaceId: 'other', userId: 'zed', properties: { productId: 'g1' } }),
    ]);
    const data = await loadInteractionsFromStore(s, 'shop');
    expect(data.explicit).toBe(false);
    expect(rows(data)).toEqual([
      ['alice', 'g1', 1], ['alice', 'g1', 3], ['anon-9', 'p1', 1], ['bob', 'g1', 5], ['bob', 's1', 5], ['bob', 'p1', -5], ['bob', 'g1', 4],
    ]);
    expect(data.users.ids()).toEqual(['alice', 'anon-9', 'bob']);
    expect(Array.from(data.value).some((v) => v < 0)).toBe(true);
    expect(data.time[0]).toBeLessThan(data.time[6]!);
    expect(data.rowText?.[6]).toBe('好听');
  });

  it('describes every live catalog item, cold ones too, and deleted items only when they were interacted with', async () => {
    const s = await shop([event({ userId: 'alice', event: 'Order Completed', properties: { products: [{ productId: 'g1' }, { productId: 's1' }] } })]);
    const data = await loadInteractionsFromStore(s, 'shop');
    expect(data.items.ids()).toEqual(['g1', 's1', 'cold', 'p1']);
    const info = (id: string) => data.itemInfo[data.items.get(id)];
    expect(info('g1')).toEqual({ title: '民谣吉他', description: '云杉面板', category: ['乐器', 'Guitars'], tags: ['wood'], brand: 'Yamaha' });
    expect(info('cold')).toEqual({ title: 'Never seen amp', category: ['乐器', 'Amps'] });
    expect(info('p1')).toEqual({ title: 'Picks' });
    expect(info('s1')).toEqual({ title: 'Strings, deleted after a sale' });
    expect(data.items.get('gone')).toBe(-1);
  });

  it('is explicit when every signal is a rating', async () => {
    const s = await shop([
      event({ userId: 'alice', event: 'Review Submitted', properties: { productId: 'g1', rating: 4 } }),
      event({ userId: 'bob', event: 'Review Submitted', properties: { productId: 'p1', sourceRating: 2.5 } }),
    ]);
    const data = await loadInteractionsFromStore(s, 'shop');
    expect(data.explicit).toBe(true);
    expect(rows(data)).toEqual([['alice', 'g1', 4], ['bob', 'p1', 2.5]]);
  });

  it('applies weights over the defaults, since and limit, and reports progress', async () => {
    const s = await shop([
      event({ userId: 'alice', timestamp: 1_000, properties: { productId: 'g1' } }),
      event({ userId: 'alice', timestamp: 2_000, event: 'Product Added', properties: { productId: 'p1' } }),
      event({ userId: 'bob', timestamp: 3_000, properties: { productId: 'g1' } }),
      event({ userId: 'bob', timestamp: 4_000, event: 'Order Completed', properties: { products: [{ productId: 'p1' }, { productId: 'g1' }] } }),
    ]);
    const weighted = await loadInteractionsFromStore(s, 'shop', { weights: { 'Product Viewed': 0, 'Order Completed': 8 } });
    expect(rows(weighted)).toEqual([['alice', 'p1', 3], ['bob', 'p1', 8], ['bob', 'g1', 8]]);
    expect(rows(await loadInteractionsFromStore(s, 'shop', { since: 2_500 }))).toEqual([['bob', 'g1', 1], ['bob', 'p1', 5], ['bob', 'g1', 5]]);
    const progress: LoadProgress[] = [];
    const limited = await loadInteractionsFromStore(s, 'shop', { limit: 4, onProgress: (p) => progress.push(p) });
    expect(rows(limited)).toEqual([['alice', 'g1', 1], ['alice', 'p1', 3], ['bob', 'g1', 1], ['bob', 'p1', 5]]);
    expect(progress).toEqual([{ phase: 'events', read: 4, rows: 4 }, { phase: 'items', read: 5, rows: 4 }]);
  });

  it('pages through logs longer than one page', async () => {
    const events = Array.from({ length: 12_000 }, (_, i) => event({ userId: `u${i % 700}`, properties: { productId: `g${i % 90}` } }));
    const s = await shop(events);
    const progress: LoadProgress[] = [];
    const data = await loadInteractionsFromStore(s, 'shop', { onProgress: (p) => progress.push(p) });
    expect(data.user.length).toBe(12_000);
    expect(data.users.size).toBe(700);
    expect(data.users.idOf(data.user[11_999]!)).toBe(`u${11_999 % 700}`);
    expect(progress.filter((p) => p.phase === 'events').map((p) => p.read)).toEqual([5000, 10_000, 12_000]);
  });

  it('gives empty implicit data for a shop without events, and refuses bad options', async () => {
    const s = await shop([]);
    const data = await loadInteractionsFromStore(s, 'shop');
    expect(data.explicit).toBe(false);
    expect(data.user.length).toBe(0);
    expect(data.items.size).toBe(3);
    await expect(loadInteractionsFromStore(s, 'shop', { limit: 0 })).rejects.toBeInstanceOf(AppError);
    await expect(loadInteractionsFromStore(s, 'shop', { weights: { 'Product Viewed': Number.NaN } })).rejects.toBeInstanceOf(AppError);
  });
});
