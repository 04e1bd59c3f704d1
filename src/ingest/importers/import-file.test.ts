import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { Storage } from '../../storage/storage.js';
import { openSqlite } from '../../storage/sqlite/open-sqlite.js';
import { GroupCommitWriter } from '../group-commit.js';
import { IngestService } from '../ingest-service.js';
import { CatalogFiller } from './catalog-filler.js';
import { importFile, type ImportOptions } from './import-file.js';
import { fixtureDir } from './test-support.js';

let storage: Storage;
let ingest: IngestService;
let fixtures: ReturnType<typeof fixtureDir>;
const WS = 'w1';

/** In-memory SQLite storage with a workspace and the ingest service on it. */
async function memoryIngest(workspaceId: string): Promise<{ storage: Storage; ingest: IngestService; workspaceId: string }> {
  const storage = await openSqlite({ file: ':memory:' });
  await storage.workspaces.createWorkspace({ id: workspaceId, name: workspaceId, createdAt: Date.now() });
  const ingest = new IngestService(new GroupCommitWriter(storage.events, 50_000), { maxEventBytes: 65_536 });
  return { storage, ingest, workspaceId };
}

beforeEach(async () => {
  ({ storage, ingest } = await memoryIngest(WS));
  fixtures = fixtureDir();
});
afterEach(async () => {
  await storage.close();
  fixtures.cleanup();
});

const run = (options: Pick<ImportOptions, 'format' | 'file'> & Partial<ImportOptions>) =>
  importFile({ workspaceId: WS, ingest, items: storage.items, ...options });

describe('importFile', () => {
  it('imports a MovieLens file, counting parse and validation rejections with line and field', async () => {
    const file = fixtures.file('u.data', ['196\t242\t3\t881250949', '186\t302\t3\t891717742', '', '22\t377\tx\t878887116', '244\t51\t7\t880606923', '166\t346\t1\t886397596'].join('\n'));
    const summary = await run({ format: 'movielens', file });
    expect(summary).toMatchObject({ rowsRead: 5, imported: 3, duplicates: 0, rejected: 2, itemsCreated: 3 });
    expect(summary.firstRejections).toEqual([
      { line: 4, reason: 'line 4: rating: "x" is not a number' },
      { line: 5, reason: 'line 5: event /properties/rating: rating must be a number from 1 to 5' },
    ]);
    expect(await storage.events.count(WS)).toBe(3);
    const stored = await storage.events.list(WS, { limit: 10, userId: '196' });
    expect(stored.items[0]).toMatchObject({ event: 'Review Submitted', timestamp: 881250949000, properties: { productId: '242', rating: 3 } });
  });

  it('re-importing the same file stores nothing new: every row is a duplicate', async () => {
    const file = fixtures.file('behavior.csv', '1,10,100,pv,1511544070\n1,11,100,buy,1511544080\n2,10,100,cart,1511544090\n');
    const first = await run({ format: 'taobao', file, batchSize: 2 });
    const second = await run({ format: 'taobao', file, batchSize: 2 });
    expect(first).toMatchObject({ rowsRead: 3, imported: 3, duplicates: 0, itemsCreated: 2 });
    expect(second).toMatchObject({ rowsRead: 3, imported: 0, duplicates: 3, rejected: 0, itemsCreated: 0 });
    expect(await storage.events.count(WS)).toBe(3);
  });

  it('creates minimal items with the category, and never overwrites an item with a real title', async () => {
    await storage.items.upsert(WS, [{ id: '10', title: 'Red running shoes', categoryPath: ['Shoes'] }], Date.now());
    const file = fixtures.file('behavior.csv', '1,10,100,pv,1511544070\n1,11,200,fav,1511544080\n1,12,300,share,1511544090\n');
    const summary = await run({ format: 'taobao', file });
    expect(summary).toMatchObject({ imported: 2, rejected: 1, itemsCreated: 1 });
    expect(await storage.items.get(WS, '10')).toMatchObject({ title: 'Red running shoes', categoryPath: ['Shoes'] });
    expect(await storage.items.get(WS, '11')).toMatchObject({ title: 'Item 11', categoryPath: ['200'] });
    // The item of a rejected row is not created.
    expect(await storage.items.get(WS, '12')).toBeUndefined();
  });

  it('keeps the 10 lowest-numbered rejections when there are more, and honours --limit', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? `u${i}\tp${i}\t9\t881250949` : `u${i}\tp${i}\tbad\t881250949`));
    const file = fixtures.file('u.data', lines.join('\n'));
    const summary = await run({ format: 'movielens', file, batchSize: 4 });
    expect(summary).toMatchObject({ rowsRead: 30, imported: 0, rejected: 30 });
    expect(summary.firstRejections.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const limited = await run({ format: 'movielens', file, limit: 7 });
    expect(limited.rowsRead).toBe(7);
  });

  it('reports progress by bytes after each batch, ending at the file size', async () => {
    const file = fixtures.file('views.csv', 'session_id;user_id;item_id;timeframe;eventdate\n' + Array.from({ length: 10 }, (_, i) => `${i};NA;${i};0;2016-05-09`).join('\n'));
    const calls: [number, number, number][] = [];
    const summary = await run({ format: 'diginetica', file, batchSize: 3, onProgress: (done, total, counts) => calls.push([done, total, counts.rowsRead]) });
    expect(summary).toMatchObject({ rowsRead: 10, imported: 10, itemsCreated: 10 });
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.at(-1)).toEqual([calls[0]![1], calls[0]![1], 10]);
  });

  it('imports generic CSV and JSONL with a mapping', async () => {
    const csv = fixtures.file('r.csv', 'who,what,stars,when\nu1,"Widget, large",4,2024-01-01T00:00:00Z\nu2,w2,5,1704067200\n');
    // Event product ids may be any string; only valid item ids ("Widget, large" is not one) get a catalog item.
    expect(await run({ format: 'csv', file: csv, map: 'user=who,item=what,rating=stars,ts=when' })).toMatchObject({ rowsRead: 2, imported: 2, rejected: 0, itemsCreated: 1 });
    expect(await storage.events.count(WS, { userId: 'u1' })).toBe(1);
    const jsonl = fixtures.file('e.jsonl', '{"u":"a","i":"x","e":"view"}\n{"u":"a","i":"x","e":"buy"}\n');
    expect(await run({ format: 'jsonl', file: jsonl, map: 'user=u,item=i,event=e' })).toMatchObject({ rowsRead: 2, imported: 2, itemsCreated: 1 });
    expect(await storage.items.get(WS, 'x')).toMatchObject({ title: 'Item x', categoryPath: [] });
    expect(await storage.events.count(WS, { event: 'Order Completed' })).toBe(1);
  });

  it('throws AppError(invalid) for a missing file, an unknown format, a bad map or a map on a fixed format', async () => {
    const file = fixtures.file('x.csv', 'a,b\n');
    const kinds = await Promise.all([
      run({ format: 'taobao', file: file + '.missing' }),
      run({ format: 'parquet', file }),
      run({ format: 'csv', file, map: 'user=a' }),
      run({ format: 'taobao', file, map: 'user=a,item=b' }),
    ].map((p) => p.then(() => 'resolved', (e: unknown) => (e instanceof AppError ? `${e.kind}: ${e.message}` : String(e)))));
    expect(kinds[0]).toMatch(/^invalid: import: file not found: .*x\.csv\.missing$/);
    expect(kinds[1]).toMatch(/^invalid: unknown import format "parquet"/);
    expect(kinds[2]).toMatch(/^invalid: --map must name the item column/);
    expect(kinds[3]).toMatch(/^invalid: --map applies to the csv and jsonl formats only/);
  });
});

describe('CatalogFiller', () => {
  it('looks ids up in the store once the catalog is larger than it keeps in memory', async () => {
    await storage.items.upsert(WS, [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }, { id: 'c', title: 'C' }], Date.now());
    const filler = new CatalogFiller(storage.items, WS, { maxKnown: 2 });
    for (const id of ['a', 'b', 'd', 'e', 'a']) filler.note({ id });
    filler.note({ id: 'not an id' });
    expect(await filler.flush()).toBe(2);
    expect(await storage.items.get(WS, 'a')).toMatchObject({ title: 'A' });
    expect(await storage.items.count(WS)).toBe(5);
    filler.note({ id: 'd' });
    expect(await filler.flush()).toBe(0);
  });
});
