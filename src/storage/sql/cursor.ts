import { AppError } from '../../core/errors.js';

/** Opaque page cursors: the sort key of the last row, base64url-encoded. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends string | number>(cursor: string, kind: 'string' | 'number'): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (typeof key !== kind) throw AppError.invalid('cursor is not one this server returned', { field: 'cursor' });
  return key as T;
}
