// Helpers for the importer tests: fixtures are generated in the test, written to the OS temp dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FormatReader, ParsedRow } from './types.js';

/** All rows a reader yields for `text` (split into small chunks, so chunk boundaries are exercised). */
export async function readAll(reader: FormatReader, text: string, chunkSize = 7): Promise<ParsedRow[]> {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const rows: ParsedRow[] = [];
  for await (const row of reader.rows(Readable.from(chunks))) rows.push(row);
  return rows;
}

/** A temp directory for fixture files, removed by `cleanup()`. */
export function fixtureDir(): { file(name: string, content: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'shopwise-import-'));
  return {
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The event of an accepted row (fails the test when the row was rejected). */
export function eventOf(row: ParsedRow | undefined): Extract<ParsedRow, { ok: true }>['event'] {
  if (!row || !row.ok) throw new Error(`expected an accepted row, got ${JSON.stringify(row)}`);
  return row.event;
}
