import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';

/** Splits rows so that one statement stays under the dialects' bound-parameter limits. */
export function* inChunks<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Which of `ids` already have a row (deleted or not) in `table` of the workspace. */
export async function existingIds(db: Kysely<Database> | Transaction<Database>, table: 'users' | 'items', workspaceId: string, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of inChunks([...new Set(ids)], 1000)) {
    const rows = await db.selectFrom(table).select('id').where('workspace_id', '=', workspaceId).where('id', 'in', chunk).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Keeps the last row of each id, in first-seen order: one statement may not touch a row twice in PostgreSQL. */
export function lastPerId<T extends { id: string }>(rows: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) byId.set(row.id, row);
  return [...byId.values()];
}
