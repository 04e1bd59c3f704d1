import { AppError } from '../core/errors.js';
import { openPostgres } from './postgres/open-postgres.js';
import { openSqlite } from './sqlite/open-sqlite.js';
import type { Storage } from './storage.js';

/**
 * The store factory: opens the back end a storage URL names.
 *
 * @example await openStorage('sqlite:.shopwise/shopwise.db'); await openStorage('postgres://localhost/test');
 */
export async function openStorage(url: string, options: { sqliteSynchronous?: 'FULL' | 'NORMAL' } = {}): Promise<Storage> {
  if (url.startsWith('sqlite:')) return openSqlite({ file: url.slice('sqlite:'.length) || ':memory:', synchronous: options.sqliteSynchronous });
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres({ url });
  throw AppError.invalid(`storage URL must start with sqlite: or postgres://, got ${url.split(':')[0]}:…`, { field: 'storageUrl' });
}
