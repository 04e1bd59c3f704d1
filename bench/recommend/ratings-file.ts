// Ratings files for bench/recommend/mf-peer.ts: the Amazon Musical Instruments 5-core reviews or a
// generated MovieLens-100K-size fixture, written as `user TAB item TAB rating TAB seconds` (the format
// ../shared/peers/torch_mf.py reads), and the peer's own 80/20 split of them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '../../src/math/random.js';
import { writeMovielensFixture } from '../../src/recommend/fixtures.js';

export interface RatingRow {
  user: string;
  item: string;
  rating: number;
  time: number;
}

export const PYTHON = '/usr/bin/python3';

/** Reads a ratings file as torch_mf.py does: lines of ≥ 3 TAB-separated fields with a numeric rating. */
export function readRatings(path: string): RatingRow[] {
  const rows: RatingRow[] = [];
  for (const line of readFileSync(path, 'latin1').split('\n')) {
    const p = line.trim().split('\t');
    if (p.length < 3) continue;
    const rating = Number(p[2]);
    if (p[2]!.trim() === '' || !Number.isFinite(rating)) continue;
    rows.push({ user: p[0]!, item: p[1]!, rating, time: Number(p[3] ?? 0) * 1000 });
  }
  return rows;
}

/** The Amazon 5-core JSON lines (reviewerID, asin, overall, unixReviewTime) as a TAB file in `dir`. */
export function amazonRatingsFile(source: string, dir: string): string {
  const lines: string[] = [];
  for (const line of readFileSync(source, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { reviewerID: string; asin: string; overall: number; unixReviewTime: number };
    lines.push(`${r.reviewerID}\t${r.asin}\t${r.overall}\t${r.unixReviewTime}`);
  }
  const path = join(dir, 'amazon-musical-instruments.tsv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** A MovieLens-format fixture of MovieLens-100K's size: 943 users × 1682 items, ~100k ratings. */
export function movielensSizedFile(dir: string): string {
  const path = join(dir, 'ml100k-sized.data');
  writeMovielensFixture(path, { users: 943, items: 1682, perUser: 106, clusters: 12, seed: 'ml100k' });
  return path;
}

/**
 * The order torch_mf.py shuffles `n` rows into (Python's `random.seed(0); random.shuffle`, which only
 * depends on n), asked of Python itself so both sides train and test on the same rows. Without Python
 * a seeded shuffle of ours stands in (the peer cannot run then anyway).
 */
export function peerShuffle(n: number): { order: Int32Array; exact: boolean } {
  if (existsSync(PYTHON)) {
    const script = `import random, json, sys\nrandom.seed(0)\nidx = list(range(${n}))\nrandom.shuffle(idx)\nsys.stdout.write(json.dumps(idx))`;
    const out = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (out.status === 0) return { order: Int32Array.from(JSON.parse(out.stdout) as number[]), exact: true };
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  new SeededRandom('mf-peer-split').shuffle(order);
  return { order, exact: false };
}
