// Imports the real public files of ../shared/datasets/recsys (never copied into the repository) into
// in-memory SQLite and checks the exact counts. Skipped, saying so, when the directory is absent.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import type { Storage } from '../../storage/storage.js';
import { openSqlite } from '../../storage/sqlite/open-sqlite.js';
import { GroupCommitWriter } from '../group-commit.js';
import { IngestService } from '../ingest-service.js';
import { importFile } from './import-file.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const datasetsDir = loadConfig().datasetsDir;
const recsys = join(isAbsolute(datasetsDir) ? datasetsDir : resolve(repoRoot, datasetsDir), 'recsys');
const present = existsSync(recsys);
if (!present) console.warn(`shared-datasets.test.ts: SKIPPED, ${recsys} does not exist (set SHOPWISE_DATASETS_DIR to run it)`);

/** In-memory SQLite storage with a workspace and the ingest service on it. */
async function memoryIngest(workspaceId: string): Promise<{ storage: Storage; ingest: IngestService; workspaceId: string }> {
  const storage = await openSqlite({ file: ':memory:' });
  await storage.workspaces.createWorkspace({ id: workspaceId, name: workspaceId, createdAt: Date.now() });
  const ingest = new IngestService(new GroupCommitWriter(storage.events, 50_000), { maxEventBytes: 65_536 });
  return { storage, ingest, workspaceId };
}

async function importTwice(format: string, name: string) {
  const { storage, ingest, workspaceId } = await memoryIngest('ds');
  try {
    const file = join(recsys, name);
    const first = await importFile({ format, file, workspaceId, ingest, items: storage.items });
    const again = await importFile({ format, file, workspaceId, ingest, items: storage.items });
    const byEvent: Record<string, number> = {};
    for (const event of ['Review Submitted', 'Product Viewed', 'Product Added', 'Product Liked', 'Order Completed']) {
      const n = await storage.events.count(workspaceId, { event });
      if (n > 0) byEvent[event] = n;
    }
    console.log(`${format}: ${first.rowsRead} rows in ${first.seconds.toFixed(2)} s (${Math.round(first.rowsRead / first.seconds)} rows/s); re-import ${again.seconds.toFixed(2)} s`);
    return { first, again, byEvent, items: await storage.items.count(workspaceId) };
  } finally {
    await storage.close();
  }
}

describe.skipIf(!present)(`shared datasets in ${recsys}`, () => {
  it('amazon-musical-instruments-5core.json: 10,261 reviews, all imported, 900 items', async () => {
    const { first, again, byEvent, items } = await importTwice('amazon', 'amazon-musical-instruments-5core.json');
    // No line repeats and no (reviewer, asin) pair repeats in this 5-core file, so nothing is a duplicate.
    expect(first).toMatchObject({ rowsRead: 10_261, imported: 10_261, duplicates: 0, rejected: 0, itemsCreated: 900, firstRejections: [] });
    expect(again).toMatchObject({ rowsRead: 10_261, imported: 0, duplicates: 10_261, rejected: 0, itemsCreated: 0 });
    expect(byEvent).toEqual({ 'Review Submitted': 10_261 });
    expect(items).toBe(900);
  });

  it('taobao-userbehavior-head.csv: 84,475 behaviors, all imported, 55,368 items', async () => {
    const { first, again, byEvent, items } = await importTwice('taobao', 'taobao-userbehavior-head.csv');
    expect(first).toMatchObject({ rowsRead: 84_475, imported: 84_475, duplicates: 0, rejected: 0, itemsCreated: 55_368, firstRejections: [] });
    expect(again).toMatchObject({ rowsRead: 84_475, imported: 0, duplicates: 84_475, rejected: 0 });
    // SOURCES.md says pv 75,873, but its four numbers add up to 84,476 for 84,475 rows: the file has 75,872 pv.
    expect(byEvent).toEqual({ 'Product Viewed': 75_872, 'Product Added': 4_497, 'Product Liked': 2_356, 'Order Completed': 1_750 });
    expect(items).toBe(55_368);
  });

  it('diginetica-sample-item-views.csv: 12,391 views (header not counted), all imported, 7,139 items', async () => {
    const { first, again, byEvent, items } = await importTwice('diginetica', 'diginetica-sample-item-views.csv');
    // The file has a header and 12,391 view rows; the last row has no line break, so `wc -l` shows
    // 12,391 lines and "12,390 views" (wc -l minus the header) undercounts by one.
    expect(first).toMatchObject({ rowsRead: 12_391, imported: 12_391, duplicates: 0, rejected: 0, itemsCreated: 7_139, firstRejections: [] });
    expect(again).toMatchObject({ rowsRead: 12_391, imported: 0, duplicates: 12_391, rejected: 0 });
    expect(byEvent).toEqual({ 'Product Viewed': 12_391 });
    expect(items).toBe(7_139);
  });
});
