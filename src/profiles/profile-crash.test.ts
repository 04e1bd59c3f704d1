import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../core/events.js';
import { validateEvent } from '../ingest/validate-event.js';
import { generateShop } from '../simulate/shop.js';
import { openStorage } from '../storage/open-storage.js';
import type { Storage } from '../storage/storage.js';
import { createProfileProcessor } from './create-profile-processor.js';
import { type CrashWorkerOptions, dumpProfiles } from './profile-crash-worker.js';
import { profileDifferences } from './profile-fixtures.js';
import { snapshotPath } from './profile-snapshot.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DAY = 86_400_000;
const END = Date.UTC(2026, 5, 1);
const KILLS = 3;

/** A processor child process and the lines it printed. */
class Worker {
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
  restored: { from: string; position: number } | undefined;
  position = 0;
  snapshot = 0;
  private waiters: (() => void)[] = [];
  private output = '';

  constructor(options: CrashWorkerOptions) {
    this.child = spawn(process.execPath, [join(REPO, 'bin', 'run-ts.js'), 'src/profiles/profile-crash-worker.ts', JSON.stringify(options)], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000)));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const [what, a, b] = line.split(' ');
      if (what === 'restored') this.restored = { from: a!, position: Number(b) };
      else if (what === 'position') this.position = Number(a);
      else if (what === 'snapshot') this.snapshot = Number(a);
      for (const wake of this.waiters.splice(0)) wake();
    });
    void this.exited.then(() => this.waiters.splice(0).forEach((wake) => wake()));
  }

  /** Resolves once `condition` holds (checked after every line); fails if the child exits first. */
  async until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`worker exited while waiting for ${what}\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.output}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** The simulated shop's events, validated as the ingest path would. */
function shopEvents(shop: ReturnType<typeof generateShop>): NormalizedEvent[] {
  const ctx = { workspaceId: 'shop', now: END + DAY, maxEventBytes: 64 * 1024 };
  return shop.events.map((raw) => {
    const result = validateEvent(raw, ctx);
    if (!result.ok) throw new Error(`simulated event rejected: ${result.error.message}`);
    return result.event;
  });
}

const dir = mkdtempSync(join(tmpdir(), 'shopwise-profile-crash-'));
const workers: Worker[] = [];
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) await w.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('profile processor crash safety', () => {
  it(`after ${KILLS} SIGKILLs mid-stream, every profile equals the one an uninterrupted run computes`, async () => {
    const shop = generateShop({ seed: 9, users: 120, items: 150, days: 10, start: END - 10 * DAY });
    const storage: Storage = await openStorage(`sqlite:${join(dir, 'shop.db')}`);
    await storage.workspaces.createWorkspace({ id: 'shop', name: 'Shop', createdAt: 1 });
    await storage.items.upsert('shop', shop.items, END);
    await storage.users.upsert('shop', shop.users, END);
    const events = shopEvents(shop);
    // Interest limits large enough that no eviction happens: eviction order is the one thing a merge does not reproduce exactly.
    const profile = { utcOffsetMinutes: 480, interestLimits: { category: 256, brand: 256, tag: 1024 } };
    const options: CrashWorkerOptions = { storage: `sqlite:${join(dir, 'shop.db')}`, snapshotPath: snapshotPath(dir), snapshotEveryEvents: 200, batchSize: 40, profile, readAt: END };

    let appended = 0;
    let maxSeq = 0;
    const append = async (n: number) => {
      const chunk = events.slice(appended, appended + n);
      appended += chunk.length;
      await storage.events.append(chunk);
      maxSeq = (await storage.events.readAfter(maxSeq, 100_000)).at(-1)?.seq ?? maxSeq;
    };
    await append(Math.floor(events.length * 0.3));

    const kills: { positionAtKill: number; snapshotAtKill: number; restoredNext?: { from: string; position: number } }[] = [];
    let worker = new Worker(options);
    workers.push(worker);
    await worker.until('the first start', () => worker.restored !== undefined);
    expect(worker.restored).toEqual({ from: 'none', position: 0 });
    const killAt = [0.45, 0.65, 0.85].map((share) => Math.floor(events.length * share));
    let armedSince: number | undefined;
    while (appended < events.length || armedSince !== undefined) {
      if (armedSince === undefined && kills.length < KILLS && appended >= killAt[kills.length]!) armedSince = worker.snapshot;
      if (armedSince === undefined) {
        await append(60);
        continue;
      }
      // Armed: kill once a newer snapshot is on disk and the worker has applied events beyond it (so a
      // replay is needed). Feed it a few events whenever it has caught up, so it keeps working.
      await worker.until('progress', () => worker.position >= maxSeq || (worker.snapshot > armedSince! && worker.position > worker.snapshot));
      if (!(worker.snapshot > armedSince && worker.position > worker.snapshot)) {
        if (appended >= events.length) throw new Error(`ran out of events before kill ${kills.length + 1}: ${JSON.stringify({ events: events.length, maxSeq, kills, position: worker.position, snapshot: worker.snapshot, armedSince })}`);
        await append(10);
        continue;
      }
      kills.push({ positionAtKill: worker.position, snapshotAtKill: worker.snapshot });
      await worker.kill();
      armedSince = undefined;
      worker = new Worker(options);
      workers.push(worker);
      await worker.until('the restart', () => worker.restored !== undefined);
      kills.at(-1)!.restoredNext = worker.restored;
    }
    await worker.until('the whole log', () => worker.position === maxSeq);
    const dump = join(dir, 'dump.json');
    worker.child.stdin!.write(`dump ${maxSeq} ${dump}\n`);
    await worker.until('the dump', () => readable(dump));
    const afterCrashes = JSON.parse(readFileSync(dump, 'utf8')) as Record<string, unknown>;

    // One uninterrupted run over the same (final) log, in process.
    const reference = createProfileProcessor(storage, { ...profile, polling: { pollMs: 5, batchSize: 500 } });
    await reference.start();
    while (reference.logPosition < maxSeq) await new Promise((r) => setTimeout(r, 5));
    const uninterrupted = await dumpProfiles(reference, 'shop', END);
    await reference.close();
    await worker.kill();
    await storage.close();

    expect(kills).toHaveLength(KILLS);
    for (const k of kills) {
      // Each restart continued from a snapshot on disk at the kill (one in flight may have landed just before it)…
      expect(k.restoredNext!.from).toBe('snapshot');
      expect(k.restoredNext!.position).toBeGreaterThanOrEqual(k.snapshotAtKill);
      expect(k.restoredNext!.position).toBeLessThanOrEqual(k.positionAtKill);
      expect(k.positionAtKill).toBeLessThan(maxSeq);
    }
    // …and at least one had applied events after its snapshot that the next run had to replay.
    expect(kills.some((k) => k.restoredNext!.position < k.positionAtKill)).toBe(true);
    const profiles = Object.keys(uninterrupted);
    expect(profiles.length).toBeGreaterThan(80);
    expect(Object.keys(afterCrashes).sort()).toEqual(profiles.sort());
    const differences = profileDifferences(afterCrashes, uninterrupted);
    expect(differences, differences.slice(0, 20).join('\n')).toEqual([]);
    const counted = profiles.reduce((n, id) => n + (uninterrupted[id] as { events: number }).events, 0);
    expect(counted).toBeGreaterThan(events.length * 0.9);
  }, 180_000);
});

function readable(path: string): boolean {
  try {
    JSON.parse(readFileSync(path, 'utf8'));
    return true;
  } catch {
    return false;
  }
}
