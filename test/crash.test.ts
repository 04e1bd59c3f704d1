import { describe, expect, it } from 'vitest';
import { runCrashTest } from './crash/crash-harness.js';
import { verifyLog } from './crash/verify-log.js';
import { startTestServer } from './helpers/test-server.js';

// The short form of the crash test (the long form is `node bin/run-ts.js bench/crash.ts --kills 20`).
// Nothing here depends on timing: kills come after a round has acknowledged traffic, readiness is polled,
// and connection errors after a kill are expected; only what the log holds is asserted.
describe('crash safety of ingest', () => {
  it('keeps every acknowledged event and stores each messageId once across 3 SIGKILLs during concurrent ingest', async () => {
    const lines: string[] = [];
    const report = await runCrashTest({ kills: 3, clients: 6, maxKillDelayMs: 800, seed: 11, log: (line) => lines.push(line) });
    const summary = `${lines.join('\n')}\n${JSON.stringify({ ...report, rounds: undefined })}`;
    expect(report.rounds, summary).toHaveLength(4);
    expect(report.acknowledged, summary).toBeGreaterThan(0);
    expect(report.lostIds, summary).toEqual([]);
    expect(report.lost, summary).toBe(0);
    expect(report.duplicates, summary).toBe(0);
    expect(report.unknown, summary).toBe(0);
    expect(report.wrongStatuses, summary).toBe(0);
    expect(report.unexpectedErrors, summary).toBe(0);
    expect(report.sampleMismatches, summary).toBe(0);
    // Between "every acknowledged id" and "every id ever sent", each at most once.
    expect(report.distinct).toBeGreaterThanOrEqual(report.acknowledged);
    expect(report.distinct).toBeLessThanOrEqual(report.sent);
    expect(report.counted).toBe(report.distinct + report.system);
  }, 120_000);

  it('the log check reports acknowledged events that are missing and stored events nobody sent', async () => {
    // Guards the guard: a verifier that cannot see a loss would let the test above pass vacuously.
    const server = await startTestServer();
    try {
      const event = (messageId: string) => ({ type: 'track', event: 'Product Viewed', userId: 'u1', messageId, properties: { productId: 'p1' } });
      expect((await server.call('POST', '/v1/events/batch', { batch: [event('a'), event('b')] })).status).toBe(200);
      const acked = new Map([['a', 'Product Viewed'], ['never-stored', 'Product Viewed']]);
      const check = await verifyLog(server.url, server.adminKey, acked, new Set(['a', 'never-stored']));
      expect(check).toMatchObject({ rows: 2, distinct: 2, counted: 2, lost: 1, lostIds: ['never-stored'], unknown: 1, duplicates: 0 });
      expect(check.sampleMismatches).toBe(1);
    } finally {
      await server.close();
    }
  });
});
