import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NormalizedEvent } from '../../core/events.js';
import { openStorage } from '../../storage/open-storage.js';
import { addGlobalOptions } from '../global-options.js';
import { registerSegments } from './segments.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-cli-segments-'));
const db = join(dir, 'shopwise.db');
const T = Date.now() - 3 * 86_400_000;
let n = 0;
const event = (over: Partial<NormalizedEvent>): NormalizedEvent => ({
  workspaceId: 'shop', messageId: `m-${++n}`, type: 'track', event: 'Product Viewed', userId: 'u1', anonymousId: null, previousId: null,
  timestamp: T + n * 1000, receivedAt: T, channel: 'web', properties: {}, traits: {}, context: {}, ...over,
});

async function run(...args: string[]): Promise<string> {
  const program = addGlobalOptions(new Command('shopwise')).exitOverride();
  registerSegments(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  try {
    await program.parseAsync(['node', 'shopwise', '--data-dir', dir, '--storage', `sqlite:${db}`, '--workspace', 'shop', 'segments', ...args]);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return lines.join('\n');
}

describe('shopwise segments', () => {
  beforeAll(async () => {
    const storage = await openStorage(`sqlite:${db}`);
    await storage.workspaces.createWorkspace({ id: 'shop', name: 'Shop', createdAt: 1 });
    await storage.items.upsert('shop', [
      { id: 'g1', title: 'Guitar', categoryPath: ['Music', 'Guitars'], brand: 'Yamaha', price: 1299 },
      { id: 'b1', title: 'Book', categoryPath: ['Books'], brand: 'Penguin', price: 9 },
    ], 1);
    const events: NormalizedEvent[] = [];
    for (let u = 0; u < 30; u++) {
      const guitarist = u % 3 === 0;
      for (let i = 0; i < 4; i++) events.push(event({ userId: `u${u}`, channel: guitarist ? 'app' : 'web', properties: { productId: guitarist ? 'g1' : 'b1' } }));
      if (guitarist) events.push(event({ userId: `u${u}`, event: 'Order Completed', channel: 'app', properties: { revenue: 1299, products: [{ productId: 'g1', quantity: 1, price: 1299 }] } }));
    }
    await storage.events.append(events);
    await storage.close();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  it('previews a rule, creates it (windows read from the log), lists and pages members', async () => {
    expect(await run('preview', 'bought(category = "Guitars", days = 7)', '--sample', '2')).toMatch(/^10 of 30 profiles \(33\.3 %\) match\.\ne\.g\. u\d+, u\d+$/);
    expect(await run('create', 'Guitar buyers', 'bought(category="Guitars",days=7)', '--id', 'guitars')).toContain('Created segment guitars "Guitar buyers" with 10 members now.\n  rule: bought(category = "Guitars", days = 7)');
    await run('create', 'VIP', '--id', 'vip', '--users', 'u0,u1');
    const list = await run('list');
    expect(list).toContain('builtin:high-value');
    expect(list).toMatch(/guitars\s+Guitar buyers\s+10 {2}bought\(category = "Guitars", days = 7\)/);
    expect(list).toMatch(/vip\s+VIP\s+2 {2}static list/);
    expect((await run('members', 'guitars', '--limit', '3')).split('\n')).toEqual(['u0', 'u12', 'u15']);
    // main.ts prints an AppError's message (here with the rule and a caret under column 14).
    await expect(run('preview', 'rfm.orders >=')).rejects.toThrow('rule error at column 14: expected a number after >=');
  });

  it('clusters the profiles with k chosen by silhouette and describes the clusters', async () => {
    const out = await run('kmeans');
    expect(out).toMatch(/^K-Means over 30 profiles, \d+ features: k = 2 \(silhouette k2 /);
    expect(out).toMatch(/#\d +33\.3 % +10 profiles .*(buys often|mostly app|interested in Music)/);
    const json = JSON.parse(await run('kmeans', '--k', '3', '--json'));
    expect(json).toMatchObject({ k: 3, profiles: 30, scores: [] });
  });
});
