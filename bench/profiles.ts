// Profile processor benchmark: throughput in process, memory per profile, freshness under load.
//   node bin/run-ts.js bench/profiles.ts [--users 3000] [--items 3000] [--days 30] [--profiles 200000]
//     [--rate 5000] [--seconds 10] [--runs 3] [--read-batch 5000] [--only throughput,memory,freshness,http,segments]
// 1. events/s: pre-built StoredEvent batches of a simulated shop (generateShop) through ProfileProcessor.process,
//    catalog and consent in memory (the processor alone; SQLite lookups are measured in 3).
// 2. RSS per 1M profiles: the shop's stream replayed with fresh ids until --profiles profiles exist; RSS growth
//    (after a full GC) divided by the profiles, extrapolated linearly to 1M.
// 3. freshness: a file-backed SQLite storage (writer thread, fsync), group commit nudging the processor after
//    each commit, --rate events/s for --seconds; time from the write's acknowledgement to the event applied
//    (visible to getProfile, the in-process API the HTTP route will call), p50 / p99.
// 3b. http: the same load through the real server's HTTP API, ack of POST /v1/events → profile visible to
//    GET /v1/users/:id/profile (bench/profiles/freshness-http.ts).
// 4. segments: bench/segments.ts in a child process (its own heap, so the figures above are not disturbed):
//    rule-segment recompute and K-Means over 1M profiles.
// Prints figures next to the goals; never asserts on time (DESIGN.md, bench/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Consent } from '../src/core/catalog.js';
import type { NormalizedEvent, StoredEvent } from '../src/core/events.js';
import { GroupCommitWriter } from '../src/ingest/group-commit.js';
import { validateEvent } from '../src/ingest/validate-event.js';
import { catalogFromMap, type ItemAttributes } from '../src/profiles/catalog-source.js';
import type { ConsentSource } from '../src/profiles/consent.js';
import { createProfileProcessor } from '../src/profiles/create-profile-processor.js';
import { withCommitNudge } from '../src/profiles/event-source.js';
import { ProfileProcessor } from '../src/profiles/profile-processor.js';
import { generateShop } from '../src/simulate/shop.js';
import { httpFreshness } from './profiles/freshness-http.js';
import { openStorage } from '../src/storage/open-storage.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '3000' },
    items: { type: 'string', default: '3000' },
    days: { type: 'string', default: '30' },
    profiles: { type: 'string', default: '200000' },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string', default: 'throughput,memory,freshness,http,segments' },
    'read-batch': { type: 'string', default: '5000' },
  },
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const BATCH = 5000;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function fullGc(): void {
  for (let i = 0; i < 3; i++) gc();
}

function inMemoryDeps(shop: ReturnType<typeof generateShop>) {
  const items = new Map<string, ItemAttributes>(shop.items.map((i) => [i.id, { categoryPath: i.categoryPath ?? [], brand: i.brand ?? null, tags: i.tags ?? [], price: i.price ?? null }]));
  const consents = new Map<string, Consent>(shop.users.map((u) => [u.id, u.consent ?? {}]));
  // Replicated users (`u-00042~7`) have the consent of the user they copy.
  const consent: ConsentSource = {
    async consents(_workspaceId, userIds) {
      const found = new Map<string, Consent>();
      for (const id of userIds) {
        const c = consents.get(id.split('~')[0]!);
        if (c) found.set(id, c);
      }
      return found;
    },
  };
  return { items, consent };
}

function processorOver(deps: ReturnType<typeof inMemoryDeps>): ProfileProcessor {
  return new ProfileProcessor({ catalog: catalogFromMap({ demo: deps.items }), consent: deps.consent }, { utcOffsetMinutes: 480 });
}

/** The events of replica `r` of the shop: every id suffixed, so each replica is a new set of users. */
function replica(events: readonly StoredEvent[], r: number, firstSeq: number): StoredEvent[] {
  const suffix = `~${r}`;
  return events.map((e, i) => ({
    ...e, seq: firstSeq + i, messageId: e.messageId + suffix,
    userId: e.userId === null ? null : e.userId + suffix, anonymousId: e.anonymousId === null ? null : e.anonymousId + suffix,
    previousId: e.previousId === null ? null : e.previousId + suffix,
  }));
}

async function throughput(events: readonly StoredEvent[], deps: ReturnType<typeof inMemoryDeps>, runs: number): Promise<number[]> {
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const processor = processorOver(deps);
    const started = performance.now();
    for (let i = 0; i < events.length; i += BATCH) await processor.process(events.slice(i, i + BATCH));
    rates.push(events.length / ((performance.now() - started) / 1000));
  }
  return rates;
}

async function memory(events: readonly StoredEvent[], deps: ReturnType<typeof inMemoryDeps>, target: number) {
  const processor = processorOver(deps);
  await processor.process(events.slice(0, 1));
  fullGc();
  const before = process.memoryUsage();
  const started = performance.now();
  let seq = 1;
  let fed = 0;
  for (let r = 0; processor.profileCount < target; r++) {
    for (let i = 0; i < events.length && processor.profileCount < target; i += BATCH) {
      const batch = replica(events.slice(i, i + BATCH), r, seq + 1);
      seq += batch.length;
      fed += batch.length;
      await processor.process(batch);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  fullGc();
  const after = process.memoryUsage();
  const stats = processor.stats();
  return { profiles: stats.profiles, anonymous: stats.anonymous, restricted: stats.restricted, fed, seconds, rss: after.rss - before.rss, heap: after.heapUsed - before.heapUsed, external: after.external + after.arrayBuffers - before.external - before.arrayBuffers, table: stats.tableBytes, processor };
}

async function freshness(shop: ReturnType<typeof generateShop>, events: readonly NormalizedEvent[], rate: number, seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'shopwise-bench-profiles-'));
  const storage = await openStorage(`sqlite:${join(dir, 'shopwise.db')}`);
  try {
    await storage.workspaces.createWorkspace({ id: 'demo', name: 'Demo', createdAt: 1 });
    await storage.items.upsert('demo', shop.items, END);
    await storage.users.upsert('demo', shop.users, END);
    const acked = new Map<string, number>();
    const applied = new Map<string, number>();
    const latencies: number[] = [];
    const record = (id: string) => {
      const a = acked.get(id);
      const b = applied.get(id);
      if (a === undefined || b === undefined) return;
      latencies.push(Math.max(0, b - a));
      acked.delete(id);
      applied.delete(id);
    };
    let visibleChecks = 0;
    const processor = createProfileProcessor(storage, {
      dataDir: dir, utcOffsetMinutes: 480, polling: { batchSize: Number(values['read-batch']) },
      onApplied: (batch) => {
        const now = performance.now();
        for (const e of batch) {
          applied.set(e.messageId, now);
          record(e.messageId);
        }
        // Visible through the in-process API right away (spot check of the last event's user).
        const last = batch[batch.length - 1]!;
        if (last.userId !== null) void processor.getProfile('demo', last.userId).then((p) => p && visibleChecks++);
      },
    });
    await processor.start();
    const writer = new GroupCommitWriter(withCommitNudge(storage.events, () => processor.nudge()), 50_000, storage.capabilities.appendPipelineDepth);
    // Ticks of 10 ms, each sending its share as requests of 1–10 events, like many SDK clients.
    const total = Math.min(events.length, Math.round(rate * seconds));
    const perTick = rate / 100;
    const started = performance.now();
    const pending: Promise<unknown>[] = [];
    let sent = 0;
    for (let tick = 0; sent < total; tick++) {
      const due = Math.min(total, Math.round((tick + 1) * perTick));
      while (sent < due) {
        const n = Math.min(due - sent, 1 + (sent % 10));
        const group = events.slice(sent, sent + n);
        sent += n;
        pending.push(writer.write(group).then(() => {
          const now = performance.now();
          for (const e of group) {
            acked.set(e.messageId, now);
            record(e.messageId);
          }
        }));
      }
      const wait = started + (tick + 1) * 10 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(pending);
    const sentSeconds = (performance.now() - started) / 1000;
    while (latencies.length < total && performance.now() - started < (seconds + 30) * 1000) await new Promise((r) => setTimeout(r, 5));
    await processor.close();
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    return { sent: total, measured: latencies.length, offered: total / sentSeconds, p50: q(0.5), p99: q(0.99), max: latencies.at(-1) ?? NaN, visibleChecks, snapshots: processor.stats().snapshots };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs bench/segments.ts (one incremental run: its stream figures are not goals here), echoes it, and returns its two timed figures. */
function segmentsBench(): Record<string, number> {
  console.log('4. segments (bench/segments.ts, in a child process):');
  const child = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'run-ts.js'), join(import.meta.dirname, 'segments.ts'), '--runs', '1'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const out = `${child.stdout}${child.stderr}`;
  console.log(out.replace(/^/gmu, '   '));
  const recompute = /recompute: ([\d.]+) s/u.exec(out);
  const kmeans = /K-Means[^\n]*\n\s*total: ([\d.]+) s/u.exec(out);
  if (child.status !== 0 || !recompute || !kmeans) throw new Error(`bench/segments.ts failed (exit ${child.status}); its output is above`);
  return { 'rule segment recompute': Number(recompute[1]), 'K-Means (features + clustering)': Number(kmeans[1]) };
}

async function main(): Promise<void> {
  const users = Number(values.users);
  const days = Number(values.days);
  console.log(`Profile processor benchmark — simulated shop: ${fmt(users)} users, ${values.items} items, ${days} days`);
  let t = performance.now();
  const shop = generateShop({ seed: 42, users, items: Number(values.items), days, start: END - days * DAY });
  const ctx = { workspaceId: 'demo', now: END + DAY, maxEventBytes: 64 * 1024 };
  const normalized = shop.events.map((raw) => {
    const result = validateEvent(raw, ctx);
    if (!result.ok) throw new Error(`simulated event rejected: ${result.error.message}`);
    return result.event;
  });
  const events: StoredEvent[] = normalized.map((e, i) => ({ ...e, seq: i + 1 }));
  console.log(`  generated ${fmt(events.length)} events in ${fmt((performance.now() - t) / 1000, 1)} s (not part of any figure)\n`);
  const deps = inMemoryDeps(shop);

  const only = new Set(values.only.split(','));
  const rows: [string, string, string, boolean][] = [];
  t = performance.now();
  if (only.has('throughput')) {
    const rates = await throughput(events, deps, Number(values.runs));
    const best = Math.max(...rates);
    console.log(`1. throughput over ${fmt(events.length)} events, batches of ${BATCH}: ${rates.map((r) => fmt(r)).join(', ')} events/s (runs; the first includes JIT warm-up)`);
    rows.push(['events/s through the processor (in process)', fmt(best), '≥ 100,000', best >= 100_000]);
  }

  if (only.has('memory')) {
    const mem = await memory(events, deps, Number(values.profiles));
    const perProfile = mem.rss / mem.profiles;
    console.log(`2. memory: ${fmt(mem.profiles)} profiles (${fmt(mem.anonymous)} anonymous, ${fmt(mem.restricted)} restricted) from ${fmt(mem.fed)} events in ${fmt(mem.seconds, 1)} s ` +
      `(${fmt(mem.fed / mem.seconds)} events/s at that size)`);
    console.log(`   RSS +${fmt(mem.rss / 2 ** 20)} MiB, heap +${fmt(mem.heap / 2 ** 20)} MiB, array buffers +${fmt(mem.external / 2 ** 20)} MiB allocated (packed table ${fmt(mem.table / 2 ** 20)} MiB with growth room) → ` +
      `${fmt(perProfile)} bytes RSS per profile`);
    const sample = (await mem.processor.getProfile('demo', 'u-00007~0')) ?? (await mem.processor.getProfile('demo', mem.processor.profileIds('demo').users[0]!));
    console.log(`   a profile: ${sample?.userId}: ${sample?.events} events, ${sample?.interests?.categories.length ?? 0} categories, ${sample?.interests?.brands.length ?? 0} brands, ` +
      `${sample?.interests?.tags.length ?? 0} tags, ${sample?.recentItems?.length ?? 0} recent items, band ${sample?.price?.band ?? '–'}`);
    rows.push([`RSS per 1M profiles (extrapolated from ${fmt(mem.profiles)})`, `${fmt((perProfile * 1e6) / 1e9, 2)} GB`, '≤ 1 GB', perProfile * 1e6 <= 1e9]);
    mem.processor = undefined as unknown as ProfileProcessor;
    fullGc();
  }

  if (only.has('freshness')) {
    const fresh = await freshness(shop, normalized.map((e) => ({ ...e, messageId: `fresh-${e.messageId}` })), Number(values.rate), Number(values.seconds));
    console.log(`3. freshness: ${fmt(fresh.sent)} events offered at ${fmt(fresh.offered)} events/s to SQLite (file, fsync) through group commit; ` +
      `${fmt(fresh.measured)} measured, ${fmt(fresh.visibleChecks)} spot checks through getProfile; snapshots written: ${fresh.snapshots.written}`);
    console.log(`   ack → applied: p50 ${fmt(fresh.p50, 1)} ms, p99 ${fmt(fresh.p99, 1)} ms, max ${fmt(fresh.max, 1)} ms\n`);
    rows.push([`freshness p50 / p99 at ${fmt(Number(values.rate))} events/s`, `${fmt(fresh.p50, 1)} / ${fmt(fresh.p99, 1)} ms`, 'p99 ≤ 1 s', fresh.p99 <= 1000]);
  }

  if (only.has('http')) {
    const fresh = await httpFreshness({ events: shop.events, items: shop.items, users: shop.users, rate: Number(values.rate), seconds: Number(values.seconds) });
    console.log(`3b. freshness through the HTTP API: ${fmt(fresh.sent)} events offered at ${fmt(fresh.offered)} events/s as POST /v1/events/batch (${fmt(fresh.rejected)} rejected); ` +
      `${fmt(fresh.probes)} probe users, each POST /v1/events then GET /v1/users/:id/profile polled (${fresh.unseen} never seen)`);
    console.log(`   ack → visible: p50 ${fmt(fresh.p50, 1)} ms, p99 ${fmt(fresh.p99, 1)} ms, max ${fmt(fresh.max, 1)} ms\n`);
    rows.push([`freshness through HTTP p50 / p99 at ${fmt(Number(values.rate))} events/s`, `${fmt(fresh.p50, 1)} / ${fmt(fresh.p99, 1)} ms`, 'p99 ≤ 1 s', fresh.p99 <= 1000 && fresh.unseen === 0]);
  }

  if (only.has('segments')) {
    const figures = segmentsBench();
    for (const [name, s] of Object.entries(figures)) rows.push([`${name} over 1M profiles`, `${fmt(s, 2)} s`, '≤ 5 s', s <= 5]);
  }

  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'figure'.padEnd(w)}  ${'measured'.padStart(16)}  ${'goal'.padStart(10)}`);
  for (const [name, value, goal, ok] of rows) console.log(`${name.padEnd(w)}  ${value.padStart(16)}  ${goal.padStart(10)}  ${ok ? 'met' : 'NOT met'}`);
  console.log(`\n(total ${fmt((performance.now() - t) / 1000, 1)} s of measurement; machine: ${process.platform}, node ${process.version})`);
}

await main();
process.exit(0);
