import type { AppendStatus, NormalizedEvent } from '../../core/events.js';

/**
 * The write path of the event log, per dialect, because it is the hot path: SQLite uses prepared
 * statements in one synchronous transaction, PostgreSQL one multi-row insert from unnest().
 * Both implement the semantics documented on `EventStore.append`.
 */
export interface EventAppender {
  append(events: readonly NormalizedEvent[]): Promise<AppendStatus[]>;
}
