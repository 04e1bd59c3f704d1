import type { Readable } from 'node:stream';
import { type ColumnMap, checkColumns, guessColumnMap } from './column-map.js';
import { readCsvRecords } from './csv-records.js';
import { mapGenericRecord } from './generic-row.js';
import { readLines } from './line-reader.js';
import { rejectRow } from './row-helpers.js';
import type { FormatReader, ParsedRow } from './types.js';

/**
 * Any CSV with a header row, mapped to events by column names (`--map`); without a map the columns are
 * guessed from common names (userId, item_id, rating, timestamp…). The header must contain every
 * mapped column, else the import stops with `AppError('invalid')` before any row is stored.
 *
 * @example csvReader(parseColumnMap('user=visitorid,item=itemid,event=event,ts=timestamp')).rows(createReadStream('events.csv'))
 */
export function csvReader(map?: ColumnMap, delimiter?: string): FormatReader {
  return {
    format: 'csv',
    async *rows(input: Readable): AsyncGenerator<ParsedRow> {
      let header: string[] | undefined;
      let columns: ColumnMap | undefined;
      let index = new Map<string, number>();
      for await (const record of readCsvRecords(input, delimiter)) {
        if ('error' in record) {
          yield rejectRow(record.line, record.error);
          continue;
        }
        if (!header) {
          header = record.fields.map((f) => f.trim());
          columns = map ?? guessColumnMap(header, 'csv header');
          checkColumns(columns, header, `csv header (line ${record.line})`);
          index = new Map(header.map((name, i) => [name, i]));
          continue;
        }
        if (record.fields.length !== header.length) {
          yield rejectRow(record.line, `expected ${header.length} fields as in the header, got ${record.fields.length}`);
          continue;
        }
        const fields = record.fields;
        yield mapGenericRecord('csv', record.line, record.text, (column) => fields[index.get(column)!], columns!);
      }
    },
  };
}

/**
 * JSON lines, one object a line, mapped to events by keys (`--map`; `a.b` reaches a nested key);
 * without a map the keys of the first object are matched against common names.
 *
 * @example jsonlReader(parseColumnMap('user=uid,item=sku,event=action,ts=at')).rows(createReadStream('events.jsonl'))
 */
export function jsonlReader(map?: ColumnMap): FormatReader {
  return {
    format: 'jsonl',
    async *rows(input: Readable): AsyncGenerator<ParsedRow> {
      let columns = map;
      for await (const { line, text } of readLines(input)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          yield rejectRow(line, `invalid JSON: ${(error as Error).message}`);
          continue;
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          yield rejectRow(line, 'not a JSON object');
          continue;
        }
        const object = parsed as Record<string, unknown>;
        columns ??= guessColumnMap(Object.keys(object), `jsonl line ${line}`);
        yield mapGenericRecord('jsonl', line, text, (key) => lookup(object, key), columns);
      }
    },
  };
}

function lookup(object: Record<string, unknown>, key: string): unknown {
  if (key in object) return object[key];
  let value: unknown = object;
  for (const part of key.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
