import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../core/errors.js';

/** One labelled text of a CSV corpus, with the 1-based line of the file it starts on. */
export interface LabelledRow {
  text: string;
  label: string;
  line: number;
}

export interface LabelledCsvOptions {
  /**
   * Header name of the text column (default `text`). Several names separated by commas are tried in
   * order, so one flag reads files whose headers differ (SST-2: `sentence` in train, `content` in dev).
   */
  textCol?: string;
  /** Header name of the label column (default `label`); commas as for `textCol`. */
  labelCol?: string;
  /** Field delimiter; default TAB when the file name ends in `.tsv`, else comma. */
  delimiter?: string;
}

export interface LabelledCsv {
  rows: LabelledRow[];
  /** Rows left out because their text or label is empty (line numbers). */
  skipped: number[];
  /** The header names actually used. */
  textColumn: string;
  labelColumn: string;
}

/**
 * Reads a labelled text corpus from a CSV (or TSV, by extension) file with a header row, with
 * csv-parse: RFC 4180 quoting in CSV (TSV fields are taken literally, quotes included), a BOM dropped,
 * LF or CRLF, blank lines skipped. Text and label columns are chosen by header name. A missing file is
 * `AppError('not_found')`; a missing column, a row with a different number of fields than the header
 * or a broken quote is `AppError('invalid')` naming the file, the 1-based line and the column
 * (`detail.field` = the file, `detail.index` = the line, `detail.column`). Rows whose text or label is
 * empty are skipped and listed in `skipped`.
 *
 * @example
 * const { rows } = await readLabelledCsv('banking77/train.csv', { labelCol: 'category' });
 * rows[0]; // { text: 'I am still waiting on my card?', label: 'card_arrival', line: 2 }
 */
export async function readLabelledCsv(path: string, options: LabelledCsvOptions = {}): Promise<LabelledCsv> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw AppError.notFound(`${path} does not exist`, { field: path });
    throw AppError.unavailable(`${path} cannot be read: ${(error as Error).message}`, error);
  }
  const tsv = path.toLowerCase().endsWith('.tsv');
  const delimiter = options.delimiter ?? (tsv ? '\t' : ',');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(content, { delimiter, bom: true, info: true, skip_empty_lines: true, relax_column_count: true, quote: tsv ? false : '"' }) as never;
  } catch (error) {
    const line = Number((error as { lines?: number }).lines ?? 0);
    throw AppError.invalid(`${path} line ${line}: ${(error as Error).message}`, { field: path, index: line });
  }
  if (records.length === 0) throw AppError.invalid(`${path} is empty: a header row is needed`, { field: path, index: 1 });
  const header = records[0]!.record.map((h) => h.trim());
  const column = (names: string, what: string): { index: number; name: string } => {
    const wanted = names.split(',').map((n) => n.trim()).filter(Boolean);
    for (const name of wanted) {
      const index = header.indexOf(name);
      if (index >= 0) return { index, name };
    }
    throw AppError.invalid(`${path} line 1: no ${what} column ${wanted.map((n) => `"${n}"`).join(' or ')} in the header (${header.join(', ')})`, { field: path, index: 1, column: names });
  };
  const text = column(options.textCol ?? 'text', 'text');
  const label = column(options.labelCol ?? 'label', 'label');
  const rows: LabelledRow[] = [];
  const skipped: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const line = startLine(records, r, info.lines);
    if (record.length !== header.length) {
      throw AppError.invalid(`${path} line ${line} has ${record.length} fields, the header has ${header.length} (${header.join(', ')})`, { field: path, index: line, column: record.length < header.length ? header[record.length] : undefined });
    }
    const t = record[text.index]!.trim();
    const l = record[label.index]!.trim();
    if (t === '' || l === '') {
      skipped.push(line);
      continue;
    }
    rows.push({ text: t, label: l, line });
  }
  return { rows, skipped, textColumn: text.name, labelColumn: label.name };
}

/** csv-parse's `info.lines` is the line a record ends on; the record starts after the previous one ended (blank lines aside). */
function startLine(records: Array<{ record: string[]; info: { lines: number } }>, r: number, endLine: number): number {
  const fieldBreaks = records[r]!.record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
  return endLine - fieldBreaks;
}

/**
 * A seeded split of rows into train and test: `share` of the rows (shuffled by `shuffle`) train, the
 * rest test. The shuffle comes from the caller's seeded generator so the split is reproducible.
 *
 * @example const { train, test } = splitRows(rows, 0.9, (a) => rng.shuffle(a));
 */
export function splitRows<T>(rows: readonly T[], share: number, shuffle: (items: T[]) => T[]): { train: T[]; test: T[] } {
  if (!(share > 0 && share < 1)) throw AppError.invalid(`the split share must be between 0 and 1, got ${share}`, { field: 'split' });
  const shuffled = shuffle([...rows]);
  const cut = Math.round(shuffled.length * share);
  return { train: shuffled.slice(0, cut), test: shuffled.slice(cut) };
}
