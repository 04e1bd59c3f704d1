import { pipeline, Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { AppError } from '../../core/errors.js';

/** A CSV record with the line it starts on and its text (for message ids), or a record that could not be parsed. */
export type CsvRecord =
  | { line: number; text: string; fields: string[] }
  | { line: number; error: string };

/** The largest record accepted (characters); past it the file is broken (typically a quote never closed). */
export const MAX_CSV_RECORD = 4 * 1024 * 1024;

const DELIMITERS = [',', ';', '\t', '|'];

/**
 * Streams the records of a CSV file with csv-parse: quoted fields may hold delimiters, doubled quotes
 * and line breaks (RFC 4180); LF or CRLF; a BOM is dropped; empty lines are skipped. The delimiter is
 * the most frequent of `, ; TAB |` on the first line unless given. Every record, the header included,
 * is yielded in file order.
 *
 * @example for await (const r of readCsvRecords(createReadStream('ratings.csv'))) if ('fields' in r) console.log(r.line, r.fields);
 */
export async function* readCsvRecords(input: AsyncIterable<Buffer | string>, delimiter?: string): AsyncGenerator<CsvRecord> {
  const chunks = crlfToLf(input);
  // Buffer up to the end of the first line (or 64 KiB) to see the delimiter.
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < 65_536 && !head.some((c) => c.includes(10))) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  if (headBytes === 0) return;
  const skipped: CsvRecord[] = [];
  let fatal: AppError | undefined;
  const parser = parse({
    delimiter: delimiter ?? detectDelimiter(Buffer.concat(head)), record_delimiter: '\n', bom: true, info: true, raw: true,
    relax_quotes: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true,
    max_record_size: MAX_CSV_RECORD,
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      const line = startLine(Number(error?.lines ?? 0), raw ?? '');
      if (error?.code === 'CSV_MAX_RECORD_SIZE') {
        fatal = AppError.invalid(`CSV record starting on line ${line} is longer than ${MAX_CSV_RECORD} characters: is a quote opened there never closed?`, { index: line });
      } else if (error?.code === 'CSV_QUOTE_NOT_CLOSED') {
        skipped.push({ line, error: `a quote opened on this record is never closed, so the rest of the file (${lineCount(raw ?? '')} lines) was read as one record` });
      } else {
        skipped.push({ line, error: `CSV: ${error?.message ?? 'unreadable record'}` });
      }
    },
  });
  const source = Readable.from((async function* () {
    yield* head;
    yield* chunks;
  })());
  pipeline(source, parser, () => {});
  try {
    for await (const output of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      const text = trimRaw(output.raw);
      const line = startLine(output.info.lines, output.raw);
      while (skipped.length > 0 && skipped[0]!.line < line) yield skipped.shift()!;
      if (output.record.length === 1 && output.record[0]!.trim() === '') continue;
      yield { line, text, fields: output.record };
    }
  } finally {
    // A caller that stops early (--limit) must not leave the parser and its source open.
    source.destroy();
    parser.destroy();
  }
  yield* skipped;
  if (fatal) throw fatal;
}

/** CRLF → LF, byte-wise (a CR byte is never part of a UTF-8 sequence), so quoted line breaks count as one line. */
async function* crlfToLf(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let pendingCr = false;
  for await (const chunk of input) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (pendingCr) buffer = Buffer.concat([Buffer.from([13]), buffer]);
    pendingCr = buffer.length > 0 && buffer[buffer.length - 1] === 13;
    if (pendingCr) buffer = buffer.subarray(0, buffer.length - 1);
    if (buffer.indexOf(13) < 0) {
      if (buffer.length > 0) yield buffer;
      continue;
    }
    const out = Buffer.allocUnsafe(buffer.length);
    let n = 0;
    for (let i = 0; i < buffer.length; i++) {
      if (buffer[i] === 13 && buffer[i + 1] === 10) continue;
      out[n++] = buffer[i]!;
    }
    yield out.subarray(0, n);
  }
  if (pendingCr) yield Buffer.from([13]);
}

function detectDelimiter(chunk: Buffer): string {
  const end = chunk.indexOf(10);
  const firstLine = chunk.subarray(0, end < 0 ? chunk.length : end).toString('utf8').replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** The raw text of a record without the blank lines before it and the line break after it. */
function trimRaw(raw: string): string {
  return raw.replace(/^\n+/, '').replace(/\n$/, '');
}

function lineCount(raw: string): number {
  return trimRaw(raw).split('\n').length;
}

/** csv-parse reports the line a record ends on; it starts as many lines earlier as it has inner line breaks. */
function startLine(endLine: number, raw: string): number {
  return endLine - (lineCount(raw) - 1);
}
