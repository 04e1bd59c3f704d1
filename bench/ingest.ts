// Ingest benchmark: durable batch ingest, single-event POSTs next to a bare fastify hello-world measured
// in the same run, and latency. Both servers are child processes on loopback; this process is the load
// generator.
//   node bin/run-ts.js bench/ingest.ts [--events 200000] [--duration 10] [--connections 64] [--batch-connections 4]
//     [--rounds 2] [--storage sqlite:FILE | postgres://… (a throw-away schema is made there); default SQLite in a temp dir] [--cpu-prof DIR (profile the server; written when it stops)]
// Prints figures and ratios, never asserts on time (DESIGN.md, bench/).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestSchema } from '../src/storage/postgres/test-schema.js';
import { EventFactory } from '../test/crash/event-factory.js';
import { RUN_TS_BIN, type ServerProcess, spawnServer, startShopwise } from '../test/crash/server-process.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    'batch-connections': { type: 'string', default: '4' },
    rounds: { type: 'string', default: '2' },
    'cpu-prof': { type: 'string' },
    storage: { type: 'string' },
    'serve-hello': { type: 'boolean', default: false },
  },
});

/** The peer: a bare fastify app, started the same way as Shopwise (a tsx child process). */
async function serveHello(): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  // Parses a JSON body like an event POST does, and stores nothing: the cost of HTTP + JSON alone.
  app.post('/echo', async (request) => ({ status: 'ok', messageId: (request.body as { messageId?: string }).messageId }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(`hello-world listening at ${url}`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

interface CannonResult {
  '2xx': number; non2xx: number; errors: number; timeouts: number; duration: number;
  latency: { p50: number; p99: number; average: number };
}
type Cannon = (options: Record<string, unknown>) => Promise<CannonResult>;
// autocannon ships no types; this is the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

async function main(): Promise<void> {
  const eventsPerSize = Number(values.events);
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const batchConnections = Number(values['batch-connections']);
  const rounds = Number(values.rounds);
  const runId = Date.now().toString(36);
  const key = `sw_bench_${runId}_${Math.random().toString(36).slice(2)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'shopwise-bench-'));
  // PostgreSQL: a throw-away schema in the given database, dropped at the end.
  const pgSchema = values.storage && /^postgres(ql)?:/.test(values.storage) ? await createTestSchema(values.storage) : undefined;
  const storage = pgSchema?.url ?? values.storage ?? `sqlite:${join(dataDir, 'shopwise.db')}`;
  const storageName = pgSchema ? 'PostgreSQL (throw-away schema)' : 'SQLite (WAL, synchronous=FULL)';
  const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  let shopwise: ServerProcess | undefined;
  let hello: ServerProcess | undefined;
  try {
    shopwise = await startShopwise({ dataDir, adminKey: key, storage, nodeArgs });
    hello = await spawnServer({ args: [RUN_TS_BIN, fileURLToPath(import.meta.url), '--serve-hello'], readyLine: /hello-world listening at (\S+)/ });
    const cpu = new CpuMeter({ shopwise: shopwise.pid, peer: hello.pid });
    const api = new ShopwiseProbe(shopwise.url, { authorization: `Bearer ${key}` });
    console.log(`Shopwise ingest benchmark: node ${process.version}, ${availableParallelism()} CPU cores shared by the load generator (this process), ` +
      `Shopwise and the hello-world peer (and anything else running on the machine: see "other" below); storage ${storageName}.\n`);

    // 1. Durable batch ingest. Bodies are built before the clock starts, so the generator costs little while timed.
    const factory = new EventFactory({ seed: 1, prefix: `b-${runId}` });
    await sendBatches(shopwise.url, api.auth, makeBatches(factory, 1000, 10_000), batchConnections); // warm-up (JIT, page cache)
    const rows: Row[] = [];
    for (const size of [1000, 10_000]) {
      const bodies = makeBatches(factory, size, eventsPerSize);
      const before = await api.snapshot();
      const meter = cpu.start();
      const run = await sendBatches(shopwise.url, api.auth, bodies, batchConnections);
      const used = meter.stop();
      const after = await api.snapshot();
      const rate = run.events / run.seconds;
      rows.push([`durable batch ingest, ${size.toLocaleString('en')} events/batch`, `${fmt(rate)} events/s`, '≥ 100,000 events/s', rate >= 100_000 ? 'yes' : 'no']);
      console.log(`batches of ${size}: ${run.events} events in ${run.seconds.toFixed(2)} s over ${batchConnections} connections; ${api.describe(before, after, run.events, true)}; CPU cores: ${used}`);
    }

    // 2 and 3. Single-event POSTs and the hello-world, same autocannon settings, alternating so drifting
    // background load hits both alike; the best run of each counts.
    const single = singleEventRequests(runId, api.auth);
    await autocannon({ url: shopwise.url, connections, duration: 2, requests: [single] }); // warm-up
    await autocannon({ url: hello.url, connections, duration: 2 });
    const posts: CannonResult[] = [];
    const gets: CannonResult[] = [];
    for (let r = 1; r <= rounds; r++) {
      let meter = cpu.start();
      gets.push(await autocannon({ url: hello.url, connections, duration }));
      console.log(`hello-world GET, run ${r}: ${fmt(rps(gets.at(-1)!))} req/s, ${latency(gets.at(-1)!)}; CPU cores: ${meter.stop()}`);
      const before = await api.snapshot();
      meter = cpu.start();
      const post = await autocannon({ url: shopwise.url, connections, duration, requests: [single] });
      const used = meter.stop();
      posts.push(post);
      console.log(`single-event POST, run ${r}: ${fmt(rps(post))} req/s, ${latency(post)}, ${post.non2xx} non-2xx, ${post.errors} errors; ` +
        `${api.describe(before, await api.snapshot(), post['2xx'], false)}; CPU cores: ${used}`);
    }
    const echoBody = JSON.stringify(new EventFactory({ seed: 2, prefix: 'echo' }).next());
    const meter = cpu.start();
    const echo = await autocannon({ url: `${hello.url}/echo`, connections, duration, method: 'POST', headers: { 'content-type': 'application/json' }, body: echoBody });
    console.log(`bare fastify JSON POST: ${fmt(rps(echo))} req/s, ${latency(echo)}; CPU cores: ${meter.stop()}`);

    const post = best(posts);
    const get = best(gets);
    const ratio = rps(post) / rps(get);
    printTable([
      ['measure', 'figure', 'goal', 'met'],
      ...rows,
      ['single-event POST /v1/events (durable)', `${fmt(rps(post))} req/s`, '', ''],
      ['  its latency', latency(post), '', ''],
      ['bare fastify hello-world GET (peer)', `${fmt(rps(get))} req/s`, '', ''],
      ['  its latency', latency(get), '', ''],
      ['single POST / hello-world', `${(ratio * 100).toFixed(0)} %`, '≥ 50 %', ratio >= 0.5 ? 'yes' : 'no'],
      ['bare fastify JSON POST, no storage (context)', `${fmt(rps(echo))} req/s`, '', ''],
      ['single POST / bare JSON POST (context)', `${((rps(post) / rps(echo)) * 100).toFixed(0)} %`, '', ''],
    ]);
    console.log(`\nautocannon: ${connections} connections, ${duration} s per run, ${rounds > 1 ? `best of ${rounds} alternating runs` : 'one run each'}; a unique messageId per request; req/s counts 2xx answers.` +
      `\nThe load generator shares the ${availableParallelism()} cores with the servers, so these figures are lower bounds of what a server does with the machine to itself.`);
    if (cpu.maxOther > 0.25) {
      console.log(`Note: other processes took up to ${cpu.maxOther.toFixed(2)} cores during a phase` +
        (pgSchema ? ' (PostgreSQL itself counts as "other" here).' : '; the machine was not quiet, so rerun for cleaner figures.'));
    }
  } finally {
    await Promise.allSettled([shopwise?.stop(), hello?.stop()]);
    await pgSchema?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rps = (r: CannonResult) => r['2xx'] / r.duration;
const latency = (r: CannonResult) => `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`;
const best = (runs: CannonResult[]) => runs.reduce((a, b) => (rps(b) > rps(a) ? b : a));

/** What the server reports about itself: stored events (GET /v1/workspace) and group commits (/metrics). */
class ShopwiseProbe {
  constructor(private readonly url: string, readonly auth: Record<string, string>) {}

  async snapshot(): Promise<{ events: number; groups: number; committed: number }> {
    const workspace = (await (await fetch(`${this.url}/v1/workspace`, { headers: this.auth })).json()) as { counts: { events: number } };
    const metrics = await (await fetch(`${this.url}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    return { events: workspace.counts.events, groups: metric('shopwise_commit_groups_total'), committed: metric('shopwise_commit_events_total') };
  }

  /** The stored-count check and the commit grouping of a phase, in words. */
  describe(before: { events: number; groups: number; committed: number }, after: typeof before, acknowledged: number, exact: boolean): string {
    const added = after.events - before.events;
    // Requests cut off by the end of an autocannon run may be committed without a counted 2xx.
    const ok = exact ? added === acknowledged : added >= acknowledged && added <= acknowledged + 1000;
    const groups = after.groups - before.groups;
    return `GET /v1/workspace counts +${added} events for ${acknowledged} acknowledged (${ok ? 'ok' : 'MISMATCH'}); ` +
      `${groups} commits, ${((after.committed - before.committed) / Math.max(1, groups)).toFixed(0)} events per commit`;
  }
}

type Row = [string, string, string, string];

/** `total` events as batch bodies of `size`, serialised up front. */
function makeBatches(factory: EventFactory, size: number, total: number): { body: string; events: number }[] {
  const bodies = [];
  for (let sent = 0; sent < total; sent += size) {
    const batch = Array.from({ length: Math.min(size, total - sent) }, () => factory.next());
    bodies.push({ body: JSON.stringify({ batch }), events: batch.length });
  }
  return bodies;
}

/** Sends the bodies over `connections` concurrent loops; the time runs from the first request to the last 2xx. */
async function sendBatches(url: string, auth: Record<string, string>, bodies: { body: string; events: number }[], connections: number) {
  let next = 0;
  let events = 0;
  const started = process.hrtime.bigint();
  let last = started;
  const loop = async () => {
    while (next < bodies.length) {
      const { body, events: n } = bodies[next++]!;
      const response = await fetch(`${url}/v1/events/batch`, { method: 'POST', body, headers: { ...auth, 'content-type': 'application/json' } });
      const report = (await response.json()) as { stored: number; duplicates: number; rejected: number };
      if (!response.ok || report.stored !== n) throw new Error(`batch answered ${response.status}: ${JSON.stringify(report).slice(0, 300)}`);
      events += n;
      last = process.hrtime.bigint();
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return { events, seconds: Number(last - started) / 1e9 };
}

/** An autocannon request whose body is a realistic event with a fresh messageId each time. */
function singleEventRequests(runId: string, auth: Record<string, string>) {
  // A pool of serialised events with a placeholder id keeps the generator's per-request work to one replace.
  const factory = new EventFactory({ seed: 3, prefix: 'x' });
  const pool = Array.from({ length: 1000 }, () => JSON.stringify({ ...factory.next(), messageId: '@ID@' }));
  let n = 0;
  return {
    method: 'POST', path: '/v1/events', headers: { ...auth, 'content-type': 'application/json' },
    setupRequest: (request: Record<string, unknown>) => ({ ...request, body: pool[n % pool.length]!.replace('@ID@', `s-${runId}-${n++}`) }),
  };
}

/**
 * CPU time per process during a phase, from /proc (Linux; clock ticks are 1/100 s there), so the output
 * shows how the cores were shared: servers, this load generator, and whatever else ran on the machine.
 */
class CpuMeter {
  /** The most CPU that processes other than ours took during any phase, in cores. */
  maxOther = 0;

  constructor(private readonly pids: Record<string, number>) {}

  start(): { stop(): string } {
    const started = process.hrtime.bigint();
    const before = this.read();
    return {
      stop: () => {
        const after = this.read();
        if (!before || !after) return 'n/a (no /proc)';
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const cores = (s: number) => (s / seconds).toFixed(2);
        const parts = Object.keys(this.pids).map((name) => `${name} ${cores(after.procs[name]! - before.procs[name]!)}`);
        const ours = Object.keys(this.pids).reduce((sum, name) => sum + after.procs[name]! - before.procs[name]!, 0) + after.self - before.self;
        const other = Math.max(0, after.total - before.total - ours) / seconds;
        this.maxOther = Math.max(this.maxOther, other);
        return `${parts.join(', ')}, load generator ${cores(after.self - before.self)}, other ${other.toFixed(2)}`;
      },
    };
  }

  /** CPU seconds so far of each process, of this one, and of the whole machine (busy time of all cores). */
  private read(): { procs: Record<string, number>; self: number; total: number } | undefined {
    try {
      const procs: Record<string, number> = {};
      for (const [name, pid] of Object.entries(this.pids)) {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        procs[name] = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime
      }
      const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      const usage = process.cpuUsage();
      return { procs, self: (usage.user + usage.system) / 1e6, total: (user! + nice! + system! + irq! + softirq! + steal!) / 100 };
    } catch {
      return undefined;
    }
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log('');
  rows.forEach((row, i) => {
    console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

// Last, so every declaration above is initialised before it runs.
if (values['serve-hello']) await serveHello();
else await main();
