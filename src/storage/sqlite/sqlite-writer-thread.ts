// The body of the SQLite writer thread: it owns the write connection of the event log, so the fsync of
// a commit blocks this thread, not the one serving HTTP. Messages that arrive while a commit runs are
// committed together in the next transaction (a second level of group commit).
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection, type SqliteSynchronous } from './sqlite-connection.js';
import { type EventRow, SqliteEventAppender } from './sqlite-event-appender.js';

export type WriterRequest = { id: number; rows: EventRow[] } | { close: true };
export type WriterReply = { id: number; statuses: ('stored' | 'duplicate')[] } | { id: number; error: string } | { closed: true };

const { file, synchronous } = workerData as { file: string; synchronous: SqliteSynchronous };
const db = openSqliteConnection(file, synchronous);
// Index pages of a growing log are touched at random (per-user index); a larger page cache and fewer
// checkpoints cut the writes per commit (measured: 15.2 → 12.7 µs per event at 800k events).
db.pragma('cache_size = -131072');
db.pragma('wal_autocheckpoint = 10000');
const appender = new SqliteEventAppender(db);
const port = parentPort!;
let queue: { id: number; rows: EventRow[] }[] = [];
let scheduled = false;

port.on('message', (message: WriterRequest) => {
  if ('close' in message) {
    commitQueued();
    db.close();
    port.postMessage({ closed: true } satisfies WriterReply);
    port.close();
    return;
  }
  queue.push(message);
  if (!scheduled) {
    scheduled = true;
    setImmediate(commitQueued);
  }
});

function commitQueued(): void {
  scheduled = false;
  if (queue.length === 0) return;
  const group = queue;
  queue = [];
  try {
    const statuses = appender.appendRows(group.length === 1 ? group[0]!.rows : group.flatMap((m) => m.rows));
    let offset = 0;
    for (const { id, rows } of group) {
      port.postMessage({ id, statuses: statuses.slice(offset, offset + rows.length) } satisfies WriterReply);
      offset += rows.length;
    }
  } catch (error) {
    for (const { id } of group) port.postMessage({ id, error: (error as Error).message } satisfies WriterReply);
  }
}
