import type { AppendStatus } from '../core/events.js';
import type { GroupCommitWriter } from './group-commit.js';
import { type EventRejection, validateEvent } from './validate-event.js';

export type EventOutcome =
  | { index: number; status: AppendStatus; messageId: string }
  | { index: number; status: 'rejected'; error: EventRejection };

export interface IngestReport {
  stored: number;
  duplicates: number;
  rejected: number;
  results: EventOutcome[];
}

export interface IngestLimits {
  maxEventBytes: number;
}

/**
 * Validates raw events, writes the good ones through group commit, and reports each one. The promise
 * resolves only after the good events are committed; rejected events change nothing.
 *
 * @example const report = await ingest.ingest('demo', [{ type: 'track', event: 'Product Viewed', userId: 'u1', properties: { productId: 'p1' } }]);
 */
export class IngestService {
  constructor(private readonly writer: GroupCommitWriter, private readonly limits: IngestLimits, private readonly clock: () => number = Date.now) {}

  async ingest(workspaceId: string, raws: readonly unknown[]): Promise<IngestReport> {
    const ctx = { workspaceId, now: this.clock(), maxEventBytes: this.limits.maxEventBytes };
    const results: EventOutcome[] = new Array(raws.length);
    const good = [];
    const goodIndex: number[] = [];
    for (let i = 0; i < raws.length; i++) {
      const validated = validateEvent(raws[i], ctx);
      if (validated.ok) {
        good.push(validated.event);
        goodIndex.push(i);
      } else {
        results[i] = { index: i, status: 'rejected', error: validated.error };
      }
    }
    const statuses = await this.writer.write(good);
    let stored = 0;
    for (let j = 0; j < good.length; j++) {
      const status = statuses[j]!;
      if (status === 'stored') stored++;
      results[goodIndex[j]!] = { index: goodIndex[j]!, status, messageId: good[j]!.messageId };
    }
    return { stored, duplicates: good.length - stored, rejected: raws.length - good.length, results };
  }
}
