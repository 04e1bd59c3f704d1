/**
 * The child process of the profile crash test (profile-crash.test.ts): runs the profile processor over
 * a file-backed SQLite storage with frequent snapshots, reporting progress on stdout, until it is
 * SIGKILLed — or, told `dump <seq> <file>` on stdin, waits until it has applied the log up to `seq` and
 * writes every profile as JSON.
 *
 *   node bin/run-ts.js src/profiles/profile-crash-worker.ts '<options JSON>'
 *
 * Output lines: `restored <from> <position>` once started, `position <seq>` after each batch,
 * `snapshot <seq>` when a snapshot is on disk, `dumped <file>`, and
 * `stats <json>` when told `stats`.
 */
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openStorage } from '../storage/open-storage.js';
import { createProfileProcessor } from './create-profile-processor.js';
import type { ProfileProcessor } from './profile-processor.js';
import type { ProfileOptions } from './profile-settings.js';

export interface CrashWorkerOptions {
  storage: string;
  snapshotPath: string;
  snapshotEveryEvents: number;
  batchSize: number;
  profile: ProfileOptions;
  /** Interests and times are read at this instant, so two runs compare equal. */
  readAt: number;
}

/** Every profile of a workspace, keyed by id, read at `at`. */
export async function dumpProfiles(processor: ProfileProcessor, workspaceId: string, at: number): Promise<Record<string, unknown>> {
  const ids = processor.profileIds(workspaceId);
  const out: Record<string, unknown> = {};
  for (const id of [...ids.users, ...ids.anonymous].sort()) {
    const profile = await processor.getProfile(workspaceId, id, { at });
    if (!profile?.interests) {
      out[id] = profile;
      continue;
    }
    // Interest lists as maps: near-equal weights may sort either way in two runs.
    const { categories, brands, tags, ...rest } = profile.interests;
    const asMap = (list: { name: string; weight: number }[]) => Object.fromEntries(list.map((i) => [i.name, i.weight]));
    out[id] = { ...profile, interests: { ...rest, categories: asMap(categories), brands: asMap(brands), tags: asMap(tags) } };
  }
  return out;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as CrashWorkerOptions;
  const storage = await openStorage(options.storage);
  let lastSnapshot = 0;
  const processor = createProfileProcessor(storage, {
    ...options.profile, snapshotPath: options.snapshotPath, snapshotEveryEvents: options.snapshotEveryEvents,
    polling: { pollMs: 5, batchSize: options.batchSize },
    onApplied: (batch) => process.stdout.write(`position ${batch[batch.length - 1]!.seq}\n`),
    onError: (error) => process.stderr.write(`error ${(error as Error).stack}\n`),
  });
  const restored = await processor.start();
  // Snapshots are written in the background: report each once it is on disk.
  setInterval(() => {
    const written = processor.snapshotStatus().lastPosition ?? 0;
    if (written !== lastSnapshot) process.stdout.write(`snapshot ${(lastSnapshot = written)}\n`);
  }, 10).unref();
  process.stdout.write(`restored ${restored.from} ${restored.position}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, seq, file] = line.trim().split(' ');
    if (command === 'stats') process.stdout.write(`stats ${JSON.stringify(processor.stats())}\n`);
    if (command !== 'dump') continue;
    while (processor.logPosition < Number(seq)) await new Promise((r) => setTimeout(r, 5));
    writeFileSync(file!, JSON.stringify(await dumpProfiles(processor, 'shop', options.readAt)));
    process.stdout.write(`dumped ${file}\n`);
  }
  // stdin closed: a clean stop.
  await processor.close();
  await storage.close();
}

if (process.argv[1]?.endsWith('profile-crash-worker.ts')) void main();
