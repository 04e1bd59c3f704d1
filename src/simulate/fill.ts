import { join } from 'node:path';
import { AppError } from '../core/errors.js';
import { writeDemoImages } from '../dialog/photo/demo-images.js';
import { ImageFiles } from '../dialog/photo/image-files.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { ItemStore } from '../storage/item-store.js';
import type { UpsertCounts, UserStore } from '../storage/user-store.js';
import { generateShop, type Shop } from './shop.js';
import { saveTruth } from './truth.js';

/** Where a shop is written: the catalog and user stores, and the ingest path for events. */
export interface FillTarget {
  items: Pick<ItemStore, 'upsert'>;
  users: Pick<UserStore, 'upsert'>;
  ingest: Pick<IngestService, 'ingest'>;
}

export interface FillCounts {
  items: UpsertCounts;
  users: UpsertCounts;
  events: { stored: number; duplicates: number };
}

export interface FillOptions {
  /** Events per ingest call (default 5000). */
  batchSize?: number;
  /** Time written as the records' update time (default: now). */
  now?: number;
}

/** Called after every batch with what is written so far and the total (items + users + events). */
export type ProgressCallback = (done: number, total: number) => void;

/**
 * Writes a generated shop: items and users through their stores, then the events through ingest in
 * batches (validated and stored like any client's). Loading the same shop again stores no events
 * (they are all duplicates) and rewrites items and users unchanged. Throws when ingest rejects an
 * event, which means the simulator generated an invalid one.
 *
 * @example
 * const counts = await fillShop({ items: storage.items, users: storage.users, ingest }, 'demo', shop, (done, total) => bar.update(done, total));
 * counts.events.stored; // 163 610 the first time, 0 the second
 */
export async function fillShop(
  target: FillTarget, workspaceId: string, shop: Pick<Shop, 'items' | 'users' | 'events'>,
  onProgress?: ProgressCallback, options: FillOptions = {},
): Promise<FillCounts> {
  const batchSize = options.batchSize ?? 5000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw AppError.invalid(`batchSize must be a positive integer, got ${batchSize}`, { field: 'batchSize' });
  const now = options.now ?? Date.now();
  const total = shop.items.length + shop.users.length + shop.events.length;
  let done = 0;
  onProgress?.(done, total);
  const items = { created: 0, updated: 0 };
  for (let i = 0; i < shop.items.length; i += batchSize) {
    const chunk = shop.items.slice(i, i + batchSize);
    add(items, await target.items.upsert(workspaceId, chunk, now));
    onProgress?.((done += chunk.length), total);
  }
  const users = { created: 0, updated: 0 };
  for (let i = 0; i < shop.users.length; i += batchSize) {
    const chunk = shop.users.slice(i, i + batchSize);
    add(users, await target.users.upsert(workspaceId, chunk, now));
    onProgress?.((done += chunk.length), total);
  }
  const events = { stored: 0, duplicates: 0 };
  for (let i = 0; i < shop.events.length; i += batchSize) {
    const chunk = shop.events.slice(i, i + batchSize);
    const report = await target.ingest.ingest(workspaceId, chunk);
    if (report.rejected > 0) {
      const bad = report.results.find((r) => r.status === 'rejected');
      const detail = bad && bad.status === 'rejected' ? bad : undefined;
      const event = detail ? chunk[detail.index] : undefined;
      throw new AppError('invalid', `the simulator generated ${report.rejected} event(s) that ingest rejected (a simulator bug); first: ${event?.messageId ?? '?'} ${detail?.error.field ?? ''}: ${detail?.error.message ?? ''}`, {
        field: detail?.error.field, index: detail === undefined ? undefined : i + detail.index, event,
      });
    }
    events.stored += report.stored;
    events.duplicates += report.duplicates;
    onProgress?.((done += chunk.length), total);
  }
  return { items, users, events };
}

/** The parts of the application services the demo fill needs (the app's `Services` has them). */
export interface DemoServices {
  config: { defaultWorkspace: string; dataDir: string };
  storage: { items: Pick<ItemStore, 'upsert'>; users: Pick<UserStore, 'upsert'> };
  ingest: Pick<IngestService, 'ingest'>;
}

export interface DemoShopOptions {
  seed: number;
  users: number;
  items: number;
  days: number;
}

export interface DemoFillResult extends FillCounts {
  /** The ground truth file (`<dataDir>/demo-truth.json`). */
  truthPath: string;
  /** Product pictures drawn for photo search (`<dataDir>/images/<workspace>/`, served at GET /v1/items/:id/image). */
  pictures: number;
  /** `generate` includes drawing the pictures (`pictures`). */
  seconds: { generate: number; fill: number; pictures: number };
}

/**
 * Generates the demo shop, writes it into the default workspace and saves its ground truth to
 * `<dataDir>/demo-truth.json`. What `shopwise demo` and `shopwise simulate` run.
 *
 * @example
 * const result = await fillDemoShop(services, { seed: 42, users: 2000, items: 3000, days: 30 }, (d, t) => bar.update(d, t));
 */
export async function fillDemoShop(services: DemoServices, options: DemoShopOptions, onProgress?: ProgressCallback): Promise<DemoFillResult> {
  const t0 = performance.now();
  const shop = generateShop(options);
  const truthPath = join(services.config.dataDir, 'demo-truth.json');
  saveTruth(shop.truth, truthPath);
  // Generated product pictures, so photo search works on the demo shop; items point at their picture.
  const pictures = writeDemoImages(new ImageFiles(services.config.dataDir), services.config.defaultWorkspace, shop.items);
  shop.items = pictures.items;
  const t1 = performance.now();
  const target = { items: services.storage.items, users: services.storage.users, ingest: services.ingest };
  const counts = await fillShop(target, services.config.defaultWorkspace, shop, onProgress);
  const t2 = performance.now();
  return { ...counts, truthPath, pictures: pictures.written, seconds: { generate: round((t1 - t0) / 1000), fill: round((t2 - t1) / 1000), pictures: pictures.seconds } };
}

function add(into: UpsertCounts, counts: UpsertCounts): void {
  into.created += counts.created;
  into.updated += counts.updated;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
