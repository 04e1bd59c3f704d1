import { AppError } from '../../core/errors.js';
import { amazonReader } from './amazon.js';
import { MAP_SYNTAX, parseColumnMap } from './column-map.js';
import { digineticaReader } from './diginetica.js';
import { csvReader, jsonlReader } from './generic.js';
import { movielensReader } from './movielens.js';
import { taobaoReader } from './taobao.js';
import { type FormatReader, IMPORT_FORMATS, type ImportFormat } from './types.js';

/**
 * The reader of a format. `map` (the `--map` spec) applies to csv and jsonl only. Throws
 * `AppError('invalid')` for an unknown format, a bad map, or a map given to a fixed format.
 *
 * @example createFormatReader('csv', 'user=userId,item=movieId,rating=rating,ts=timestamp')
 */
export function createFormatReader(format: string, map?: string): FormatReader {
  if (!isImportFormat(format)) throw AppError.invalid(`unknown import format "${format}"; use one of ${IMPORT_FORMATS.join(', ')}`, { field: 'format' });
  if (map !== undefined && format !== 'csv' && format !== 'jsonl') {
    throw AppError.invalid(`--map applies to the csv and jsonl formats only; ${format} files have fixed columns`, { field: 'map' });
  }
  const columns = map === undefined ? undefined : parseColumnMap(map);
  switch (format) {
    case 'movielens': return movielensReader();
    case 'amazon': return amazonReader();
    case 'taobao': return taobaoReader();
    case 'diginetica': return digineticaReader();
    case 'csv': return csvReader(columns);
    case 'jsonl': return jsonlReader(columns);
  }
}

/**
 * True when `format` is one of IMPORT_FORMATS.
 *
 * @example isImportFormat('taobao') // true
 */
export function isImportFormat(format: string): format is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(format);
}

export { MAP_SYNTAX };
