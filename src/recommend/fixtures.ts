import { writeFileSync } from 'node:fs';
import { SeededRandom } from '../math/random.js';
import { InteractionsBuilder, type Interactions } from './interactions.js';

/** Size and shape of a generated data set. */
export interface FixtureOptions {
  users?: number;
  items?: number;
  /** Interactions per user on average. */
  perUser?: number;
  /** Latent taste clusters; each item belongs to one, with its own category and words. */
  clusters?: number;
  seed?: number | string;
  /** Ratings 1–5 (explicit) or views / carts / purchases with weights 1 / 3 / 5 (implicit). */
  explicit?: boolean;
}

const WORDS = ['guitar', 'string', 'amp', 'pedal', 'drum', 'piano', 'violin', 'cable', 'tuner', 'stand', 'mic', 'case', 'pick', 'strap', 'reed', 'bow'];
const ZH = ['吉他', '琴弦', '音箱', '效果器', '鼓', '钢琴', '小提琴', '线材', '调音器', '支架', '话筒', '琴盒'];

/**
 * A small synthetic shop for tests (generated, never a copy of a real set): users and items have
 * latent tastes in `clusters` groups; an item's category, title words (English and Chinese) and review
 * words follow its group; users interact mostly within their groups, popular items more often, in time
 * order. Every model that learns anything should rank a user's held-out items above random ones.
 *
 * @example const data = syntheticInteractions({ users: 100, items: 60, seed: 1 });
 */
export function syntheticInteractions(options: FixtureOptions = {}): Interactions {
  const users = options.users ?? 120;
  const items = options.items ?? 150;
  const perUser = options.perUser ?? 15;
  const clusters = options.clusters ?? 4;
  const explicit = options.explicit ?? true;
  const rng = new SeededRandom(options.seed ?? 7);
  const builder = new InteractionsBuilder({ explicit });
  const itemCluster = Int32Array.from({ length: items }, (_, i) => i % clusters);
  const quality = Float64Array.from({ length: items }, () => rng.normal(0, 0.6));
  const popularity = Float64Array.from({ length: items }, () => Math.exp(rng.normal(0, 1.5)));
  for (let i = 0; i < items; i++) {
    const c = itemCluster[i]!;
    builder.describe(itemId(i), {
      category: [`top${c % 2}`, `group${c}`],
      title: `${WORDS[c % WORDS.length]} ${WORDS[(c + 5) % WORDS.length]} ${ZH[c % ZH.length]} model ${i}`,
      tags: [`tag${c}`],
    });
  }
  const start = Date.UTC(2026, 0, 1);
  for (let u = 0; u < users; u++) {
    const main = rng.int(clusters);
    const second = rng.int(clusters);
    const bias = rng.normal(0, 0.4);
    const count = Math.max(5, Math.round(perUser * (0.5 + rng.next())));
    const taken = new Set<number>();
    let time = start + rng.int(86_400_000);
    for (let k = 0; k < count && taken.size < items; k++) {
      const cluster = rng.next() < 0.7 ? main : rng.next() < 0.6 ? second : rng.int(clusters);
      const item = pickItem(rng, itemCluster, popularity, cluster, taken);
      taken.add(item);
      time += 60_000 + rng.int(3_600_000);
      const affinity = (itemCluster[item] === main ? 1.2 : itemCluster[item] === second ? 0.4 : -0.8) + quality[item]! + bias;
      if (explicit) {
        const rating = Math.min(5, Math.max(1, Math.round(3.4 + affinity + rng.normal(0, 0.5))));
        builder.push(userId(u), itemId(item), rating, time, `${WORDS[itemCluster[item]! % WORDS.length]} ${rating >= 4 ? 'great' : 'poor'}`);
      } else {
        builder.push(userId(u), itemId(item), 1, time);
        if (affinity > 0.8 && rng.next() < 0.5) builder.push(userId(u), itemId(item), 3, time + 1000);
        if (affinity > 1.2 && rng.next() < 0.4) builder.push(userId(u), itemId(item), 5, time + 2000);
      }
    }
  }
  return builder.build();
}

function pickItem(rng: SeededRandom, itemCluster: Int32Array, popularity: Float64Array, cluster: number, taken: Set<number>): number {
  let total = 0;
  for (let i = 0; i < itemCluster.length; i++) if (itemCluster[i] === cluster && !taken.has(i)) total += popularity[i]!;
  if (total === 0) {
    for (let i = 0; i < itemCluster.length; i++) if (!taken.has(i)) return i;
  }
  let draw = rng.next() * total;
  for (let i = 0; i < itemCluster.length; i++) {
    if (itemCluster[i] !== cluster || taken.has(i)) continue;
    draw -= popularity[i]!;
    if (draw <= 0) return i;
  }
  for (let i = itemCluster.length - 1; i >= 0; i--) if (itemCluster[i] === cluster && !taken.has(i)) return i;
  return 0;
}

function userId(u: number): string {
  return String(u + 1);
}

function itemId(i: number): string {
  return String(i + 1);
}

/**
 * Writes a generated explicit data set as a MovieLens `u.data` file (user TAB item TAB rating TAB
 * epoch seconds), for tests of the importers and `shopwise eval`.
 *
 * @example writeMovielensFixture('/tmp/u.data', { users: 200, items: 150 });
 */
export function writeMovielensFixture(path: string, options: FixtureOptions = {}): Interactions {
  const data = syntheticInteractions({ ...options, explicit: true });
  const lines: string[] = [];
  for (let r = 0; r < data.user.length; r++) {
    lines.push(`${data.users.idOf(data.user[r]!)}\t${data.items.idOf(data.item[r]!)}\t${data.value[r]}\t${Math.floor(data.time[r]! / 1000)}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return data;
}
