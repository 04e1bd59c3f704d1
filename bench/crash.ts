// Long form of the crash test: SIGKILLs the real server during concurrent ingest (20 times by default)
// and checks that every acknowledged event survived and no messageId was stored twice.
//   node bin/run-ts.js bench/crash.ts [--kills 20] [--clients 16] [--max-delay-ms 3000] [--retry-share 0.5] [--seed 7] [--data-dir DIR]
// Exits 1 when an event was lost or double-counted, so it can gate a release.
import { parseArgs } from 'node:util';
import { runCrashTest } from '../test/crash/crash-harness.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    clients: { type: 'string', default: '16' },
    'max-delay-ms': { type: 'string', default: '3000' },
    'retry-share': { type: 'string', default: '0.5' },
    seed: { type: 'string', default: '7' },
    'data-dir': { type: 'string' },
  },
});
const kills = Number(values.kills);
console.log(`crash test: ${kills} SIGKILLs of \`shopwise start\` (SQLite, synchronous=FULL, WAL) under ${values.clients} concurrent clients; ` +
  `each kill comes 0–${values['max-delay-ms']} ms after the round's first 20 acknowledged requests.`);
const started = Date.now();
const report = await runCrashTest({
  kills, clients: Number(values.clients), maxKillDelayMs: Number(values['max-delay-ms']), retryShare: Number(values['retry-share']),
  seed: Number(values.seed), dataDir: values['data-dir'], log: (line) => console.log(line),
});
const inFlight = report.rounds.reduce((n, r) => n + r.inFlightEvents, 0);
const dead = report.rounds.reduce((n, r) => n + r.deadEvents, 0);
const retried = report.rounds.reduce((n, r) => n + r.retriedRequests, 0);
const foundCommitted = report.rounds.reduce((n, r) => n + r.retriedFoundCommitted, 0);
const ok = report.lost === 0 && report.duplicates === 0 && report.unknown === 0 && report.wrongStatuses === 0 && report.unexpectedErrors === 0 && report.sampleMismatches === 0;
console.log(`
summary (${((Date.now() - started) / 1000).toFixed(1)} s)
  kills                          ${report.kills}
  acknowledged events (2xx)      ${report.acknowledged}
  sent events (distinct ids)     ${report.sent}   (${report.sent - report.acknowledged} never acknowledged: died at a kill and not re-sent)
  events in flight at kills      ${inFlight}   (${dead} of them never answered)
  dead requests retried          ${retried}   (${foundCommitted} of their events had been committed before the kill: answered "duplicate")
  acknowledged events re-sent    ${report.resentAcked}   (all must answer "duplicate")
  stored rows / distinct / count ${report.rows} / ${report.distinct} / ${report.counted}
  lost (acknowledged, missing)   ${report.lost}${report.lostIds.length ? `  e.g. ${report.lostIds.slice(0, 5).join(', ')}` : ''}
  double-counted                 ${report.duplicates}
  stored but never sent          ${report.unknown}
  wrong statuses                 ${report.wrongStatuses}
  errors while the server was up ${report.unexpectedErrors}${report.errorSamples.length ? `  e.g. ${report.errorSamples[0]}` : ''}
  spot checks by messageId       ${report.sampled - report.sampleMismatches}/${report.sampled} match
  result                         ${ok ? 'PASS: 0 lost, 0 double-counted' : 'FAIL'}`);
if (!ok) process.exitCode = 1;
