import type { Command } from 'commander';
import { SeededRandom } from '../../math/random.js';
import { catalogFromItemStore } from '../../profiles/catalog-source.js';
import { consentFromUserStore } from '../../profiles/consent.js';
import { ProfileProcessor } from '../../profiles/profile-processor.js';
import { snapshotPath } from '../../profiles/profile-snapshot.js';
import { clusterProfiles } from '../../profiles/segments/profile-clusters.js';
import { SegmentEngine } from '../../profiles/segments/segment-engine.js';
import { historyFromEventStore } from '../../profiles/segments/segment-history.js';
import { SegmentService, type SegmentView } from '../../profiles/segments/segment-service.js';
import { openStorage } from '../../storage/open-storage.js';
import type { Storage } from '../../storage/storage.js';
import { configFrom } from '../global-options.js';

const REPLAY_BATCH = 10_000;

interface Session {
  storage: Storage;
  processor: ProfileProcessor;
  segments: SegmentService;
  workspaceId: string;
}

/**
 * Opens the storage and brings the profiles up to date the way `shopwise profile` does: the server's
 * latest profile snapshot (read, never written) plus the log after it. Segment members are then
 * computed in this process from the stored definitions (behaviour windows read from the log).
 */
async function openSession(command: Command, quiet: boolean): Promise<Session> {
  const config = configFrom(command);
  const storage = await openStorage(config.storageUrl, { sqliteSynchronous: config.sqliteSynchronous });
  const catalog = catalogFromItemStore(storage.items);
  const processor = new ProfileProcessor(
    { catalog, consent: consentFromUserStore(storage.users), identities: storage.events },
    { snapshotPath: snapshotPath(config.dataDir), snapshotReadOnly: true },
  );
  await processor.start();
  let replayed = 0;
  for (;;) {
    const batch = await storage.events.readAfter(processor.logPosition, REPLAY_BATCH);
    if (batch.length === 0) break;
    await processor.process(batch);
    replayed += batch.length;
    if (!quiet && replayed % (10 * REPLAY_BATCH) === 0) process.stderr.write(`replayed ${replayed.toLocaleString('en-US')} events…\n`);
  }
  const engine = new SegmentEngine({ timers: false, history: historyFromEventStore(storage.events, catalog), onError: (e) => console.error(String(e)) });
  engine.attach(processor);
  const segments = new SegmentService({ store: storage.segments, engine, identities: storage.events, onError: (e) => console.error(`a stored segment was skipped: ${(e as Error).message}`) });
  await segments.start([config.defaultWorkspace]);
  return { storage, processor, segments, workspaceId: config.defaultWorkspace };
}

async function withSession(command: Command, quiet: boolean, run: (s: Session) => Promise<void>): Promise<void> {
  const session = await openSession(command, quiet);
  try {
    await run(session);
  } finally {
    await session.storage.close();
  }
}

function line(s: SegmentView): string {
  const what = s.kind === 'list' ? 'static list' : s.canonicalRule ?? '';
  return `${s.id.padEnd(22)} ${s.name.padEnd(24)} ${String(s.members).padStart(8)}  ${s.kind === 'builtin' ? '[built-in] ' : ''}${what}`;
}

/**
 * `shopwise segments list | create NAME RULE | preview RULE | members ID | kmeans [--k auto]`: segment
 * definitions, previews and members of the default workspace, and K-Means clusters of its profiles.
 *
 * @example registerSegments(program); // shopwise segments preview 'rfm.orders >= 2 AND inactive(days = 30)'
 */
export function registerSegments(program: Command): void {
  const segments = program.command('segments').description('rule segments, static lists, previews, members and K-Means clusters of profiles');

  segments.command('list').description('segments with their member counts now').option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => withSession(command, !!options.json, async (s) => {
      const list = await s.segments.list(s.workspaceId);
      if (options.json) console.log(JSON.stringify(list, null, 2));
      else console.log([`${'ID'.padEnd(22)} ${'NAME'.padEnd(24)} ${'MEMBERS'.padStart(8)}  RULE`, ...list.map(line)].join('\n'));
    }));

  segments.command('create').description('define a rule segment (or a static list with --users)')
    .argument('<name>', 'the segment name (unique in the workspace)')
    .argument('[rule]', 'the rule, e.g. \'bought(category = "Guitars", days = 30) AND inactive(days = 14)\'')
    .option('--id <id>', 'the segment id (default: generated)')
    .option('--description <text>', 'what the segment is for')
    .option('--users <ids>', 'a static list: user ids separated by commas')
    .action(async (name: string, rule: string | undefined, options: { id?: string; description?: string; users?: string }, command: Command) => withSession(command, false, async (s) => {
      const view = await s.segments.create(s.workspaceId, {
        name, ...(options.id ? { id: options.id } : {}), ...(options.description ? { description: options.description } : {}),
        ...(options.users ? { userIds: options.users.split(',').map((u) => u.trim()).filter(Boolean) } : { rule }),
      }, Date.now());
      console.log(`Created segment ${view.id} "${view.name}" with ${view.members} members now.${view.canonicalRule ? `\n  rule: ${view.canonicalRule}` : ''}`);
      console.log('A running server takes it up within its definition refresh (or on restart).');
    }));

  segments.command('preview').description('how many profiles a rule matches now (nothing is saved)')
    .argument('<rule>', 'the rule').option('--sample <n>', 'ids to show', '10')
    .action(async (rule: string, options: { sample: string }, command: Command) => withSession(command, false, async (s) => {
      const preview = await s.segments.preview(s.workspaceId, rule, Number(options.sample));
      const share = preview.profiles ? ((100 * preview.count) / preview.profiles).toFixed(1) : '0';
      console.log(`${preview.count.toLocaleString('en-US')} of ${preview.profiles.toLocaleString('en-US')} profiles (${share} %) match.`);
      if (preview.sample.length) console.log(`e.g. ${preview.sample.join(', ')}`);
    }));

  segments.command('members').description('the members of a segment now, one id a line')
    .argument('<id>', 'segment id').option('--limit <n>', 'at most this many', '1000')
    .action(async (id: string, options: { limit: string }, command: Command) => withSession(command, true, async (s) => {
      let left = Number(options.limit);
      let cursor: string | undefined;
      do {
        const page = await s.segments.members(s.workspaceId, id, { cursor, limit: Math.min(1000, left) });
        for (const member of page.items) console.log(member);
        left -= page.items.length;
        cursor = page.nextCursor;
      } while (cursor && left > 0);
    }));

  segments.command('kmeans').description('cluster the profiles by their features and describe each cluster in words')
    .option('--k <k>', 'number of clusters, or auto (silhouette over 2…8)', 'auto')
    .option('--seed <seed>', 'random seed', '42')
    .option('--anonymous', 'include anonymous visitors')
    .option('--json', 'print JSON (without the per-profile labels)')
    .action(async (options: { k: string; seed: string; anonymous?: boolean; json?: boolean }, command: Command) => withSession(command, !!options.json, async (s) => {
      const k = options.k === 'auto' ? 'auto' : Number(options.k);
      const result = clusterProfiles(s.processor, s.workspaceId, { rng: new SeededRandom(options.seed), k, now: Date.now(), includeAnonymous: !!options.anonymous });
      const { ids: _ids, labels: _labels, ...summary } = result;
      if (options.json) {
        console.log(JSON.stringify(summary, null, 2));
        return;
      }
      console.log(`K-Means over ${result.profiles.toLocaleString('en-US')} profiles, ${result.features.length} features: k = ${result.k}` +
        (result.scores.length ? ` (silhouette ${result.scores.map((x) => `k${x.k} ${x.silhouette}`).join(', ')})` : ''));
      for (const c of result.clusters) console.log(`  #${c.index + 1} ${(100 * c.share).toFixed(1).padStart(5)} %  ${c.size.toLocaleString('en-US').padStart(9)} profiles  ${c.description}`);
      console.log(`(${(result.seconds.features + result.seconds.clustering).toFixed(2)} s: features ${result.seconds.features.toFixed(2)} s, clustering ${result.seconds.clustering.toFixed(2)} s)`);
    }));
}
