// Freshness through the HTTP API: the real server (in process, loopback port, SQLite file in a temp
// dir, the profile processor fed by the event log as in production) takes a steady load of
// POST /v1/events/batch from a client in a child process (freshness-client.ts), which meanwhile sends
// probe events for fresh users one at a time and, after each probe's 200 (the acknowledgement: durably
// stored), polls GET /v1/users/:id/profile until the profile is there. ack → visible is the figure.
// The probes start after `warmupSeconds` of load and run for `seconds`.
// Server and client share the machine's two cores.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../test/helpers/test-server.js';

type Storage = Awaited<ReturnType<typeof startTestServer>>['services']['storage'];

export interface HttpFreshnessOptions {
  /** Load events (the simulated shop's, in order) and the shop's items and users to load first. */
  events: readonly unknown[];
  items: Parameters<Storage['items']['upsert']>[1];
  users: Parameters<Storage['users']['upsert']>[1];
  /** Load events per second and for how long. */
  rate: number;
  seconds: number;
  /** Probes per second (each a new user; default 20). */
  probesPerSecond?: number;
  /** Seconds of load before the probes start (default 2: a running server's caches are warm). */
  warmupSeconds?: number;
}

export interface HttpFreshness {
  sent: number;
  offered: number;
  rejected: number;
  probes: number;
  p50: number;
  p99: number;
  max: number;
  /** Probes still not visible after 10 s (would be a bug). */
  unseen: number;
}

/**
 * Runs the load and the probes; returns ack → visible latencies of the probes.
 *
 * @example const f = await httpFreshness({ events, items, users, rate: 5000, seconds: 10 }); f.p99
 */
export async function httpFreshness(options: HttpFreshnessOptions): Promise<HttpFreshness> {
  const server = await startTestServer();
  const dir = mkdtempSync(join(tmpdir(), 'shopwise-bench-fresh-'));
  try {
    await server.services.storage.items.upsert('demo', options.items, Date.now());
    await server.services.storage.users.upsert('demo', options.users, Date.now());
    const warmup = options.warmupSeconds ?? 2;
    const total = Math.min(options.events.length, Math.round(options.rate * (options.seconds + warmup)));
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, options.events.slice(0, total).map((e) => JSON.stringify(e)).join('\n'));
    const args = [server.url, server.adminKey, file, String(options.rate), String(options.seconds), String(options.probesPerSecond ?? 20), options.items[0]!.id, String(warmup)];
    const result = JSON.parse(await runClient(args)) as { sent: number; seconds: number; rejected: number; latencies: number[]; unseen: number };
    const latencies = result.latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    return { sent: result.sent, offered: result.sent / result.seconds, rejected: result.rejected, probes: latencies.length + result.unseen, p50: q(0.5), p99: q(0.99), max: latencies.at(-1) ?? NaN, unseen: result.unseen };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs freshness-client.ts; resolves to its last stdout line (the server keeps serving meanwhile: asynchronous spawn). */
function runClient(args: string[]): Promise<string> {
  const runTs = join(import.meta.dirname, '..', '..', 'bin', 'run-ts.js');
  const child = spawn(process.execPath, [runTs, join(import.meta.dirname, 'freshness-client.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n').at(-1)!) : reject(new Error(`freshness client exited with ${code}`))));
  });
}
