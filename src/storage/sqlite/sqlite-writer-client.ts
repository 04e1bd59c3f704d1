import { Worker } from 'node:worker_threads';
import type { AppendStatus, NormalizedEvent } from '../../core/events.js';
import { AppError } from '../../core/errors.js';
import type { EventAppender } from '../sql/event-appender.js';
import type { SqliteSynchronous } from './sqlite-connection.js';
import { toEventRow } from './sqlite-event-appender.js';
import type { WriterReply, WriterRequest } from './sqlite-writer-thread.js';

const WRITER_ENTRY = new URL('./sqlite-writer-thread.mjs', import.meta.url);

interface Pending {
  resolve: (statuses: AppendStatus[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Appends events through the writer thread: the HTTP thread serialises rows and goes on serving while
 * the writer thread commits and fsyncs. A promise resolves only after the writer's commit. If the
 * thread dies, the appends in flight fail (their clients get 503 and retry) and the next one restarts it.
 */
export class SqliteWriterClient implements EventAppender {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  constructor(private readonly file: string, private readonly synchronous: SqliteSynchronous) {}

  append(events: readonly NormalizedEvent[]): Promise<AppendStatus[]> {
    if (this.closing) return Promise.reject(AppError.unavailable('the event log is closing'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    const request: WriterRequest = { id, rows: events.map(toEventRow) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  /** Lets queued appends commit, then stops the thread. */
  close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    this.closing ??= new Promise((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ close: true } satisfies WriterRequest);
    });
    return this.closing;
  }

  private start(): Worker {
    const worker = new Worker(WRITER_ENTRY, { workerData: { file: this.file, synchronous: this.synchronous } });
    worker.on('message', (reply: WriterReply) => {
      if ('closed' in reply) return;
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if ('error' in reply) pending.reject(AppError.unavailable(`the event log could not commit: ${reply.error}`));
      else pending.resolve(reply.statuses);
    });
    const fail = (reason: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, pending] of this.pending) {
        pending.reject(AppError.unavailable(`the event log writer stopped (${reason}); nothing unacknowledged was promised`));
        this.pending.delete(id);
      }
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}
