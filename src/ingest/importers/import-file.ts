import { createReadStream, statSync } from 'node:fs';
import { AppError } from '../../core/errors.js';
import type { ItemStore } from '../../storage/item-store.js';
import type { IngestService } from '../ingest-service.js';
import { CatalogFiller } from './catalog-filler.js';
import { createFormatReader } from './formats.js';
import type { ImportCounts, ParsedRow } from './types.js';

/** How many rejections an import reports in detail. */
export const FIRST_REJECTIONS = 10;

export interface ImportOptions {
  /** movielens | csv | jsonl | amazon | taobao | diginetica */
  format: string;
  file: string;
  /** Column map for csv / jsonl: `user=COL,item=COL[,rating=COL][,ts=COL][,event=COL][,category=COL]`. */
  map?: string;
  workspaceId: string;
  ingest: Pick<IngestService, 'ingest'>;
  items: ItemStore;
  /** Events per ingest call (one group commit); default 5000. */
  batchSize?: number;
  /** Stop after this many rows. */
  limit?: number;
  /** Called after every batch with the bytes read so far, the file size and the counts. */
  onProgress?: (bytesRead: number, totalBytes: number, counts: ImportCounts) => void;
}

export interface ImportSummary extends ImportCounts {
  /** The first rejected rows, in line order: `reason` names the line and the field. */
  firstRejections: { line: number; reason: string }[];
  seconds: number;
}

/**
 * Imports a file of one of the supported formats: streams it row by row, maps each row to an event,
 * ingests the events in batches (validation, dedupe by a message id derived from the row, durable
 * commit) and creates missing catalog items. Importing the same file twice stores nothing new.
 * Throws `AppError('invalid')` for a missing file, an unknown format or a bad map.
 *
 * @example const summary = await importFile({ format: 'movielens', file: 'ml-100k/u.data', workspaceId: 'demo', ingest: services.ingest, items: services.storage.items });
 */
export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const reader = createFormatReader(options.format, options.map);
  const batchSize = options.batchSize ?? 5000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw AppError.invalid(`batchSize must be a positive integer, got ${batchSize}`, { field: 'batchSize' });
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) throw AppError.invalid(`limit must be a whole number ≥ 0, got ${options.limit}`, { field: 'limit' });
  const totalBytes = fileSize(options.file);
  const counts: ImportCounts = { rowsRead: 0, imported: 0, duplicates: 0, rejected: 0, itemsCreated: 0 };
  const firstRejections: ImportSummary['firstRejections'] = [];
  const reject = (line: number, reason: string) => {
    counts.rejected++;
    // Ingest rejections of a batch arrive after parse rejections of later lines: keep the lowest lines.
    if (firstRejections.length === FIRST_REJECTIONS && line > firstRejections[FIRST_REJECTIONS - 1]!.line) return;
    firstRejections.push({ line, reason: `line ${line}: ${reason}` });
    firstRejections.sort((a, b) => a.line - b.line);
    if (firstRejections.length > FIRST_REJECTIONS) firstRejections.pop();
  };
  const filler = new CatalogFiller(options.items, options.workspaceId);
  const stream = createReadStream(options.file);
  let batch: Extract<ParsedRow, { ok: true }>[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const report = await options.ingest.ingest(options.workspaceId, rows.map((r) => r.event));
    counts.imported += report.stored;
    counts.duplicates += report.duplicates;
    for (const result of report.results) {
      const row = rows[result.index]!;
      if (result.status === 'rejected') reject(row.line, `event ${result.error.field || '(whole event)'}: ${result.error.message}`);
      else if (row.item) filler.note(row.item);
    }
    counts.itemsCreated += await filler.flush();
    options.onProgress?.(stream.bytesRead, totalBytes, { ...counts });
  };

  try {
    for await (const row of reader.rows(stream)) {
      if (options.limit !== undefined && counts.rowsRead >= options.limit) break;
      counts.rowsRead++;
      if (row.ok) batch.push(row);
      else reject(row.line, row.reason);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    stream.destroy();
  }
  options.onProgress?.(options.limit === undefined ? totalBytes : stream.bytesRead, totalBytes, { ...counts });
  return { ...counts, firstRejections, seconds: (performance.now() - started) / 1000 };
}

function fileSize(file: string): number {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw AppError.invalid(code === 'ENOENT' ? `import: file not found: ${file}` : `import: cannot read ${file}: ${(error as Error).message}`, { field: 'file' });
  }
  if (!stats.isFile()) throw AppError.invalid(`import: ${file} is not a file`, { field: 'file' });
  return stats.size;
}
