import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NormalizedEvent } from '../../core/events.js';
import { openStorage } from '../../storage/open-storage.js';
import { addGlobalOptions } from '../global-options.js';
import { registerProfile } from './profile.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-cli-profile-'));
const db = join(dir, 'shopwise.db');
const event = (n: number, over: Partial<NormalizedEvent>): NormalizedEvent => ({
  workspaceId: 'shop', messageId: `m-${n}`, type: 'track', event: 'Product Viewed', userId: 'u1', anonymousId: null, previousId: null,
  timestamp: Date.UTC(2026, 0, 5, 12) + n * 1000, receivedAt: Date.UTC(2026, 0, 5, 12), channel: 'web', properties: {}, traits: {}, context: {}, ...over,
});

async function run(...args: string[]): Promise<string> {
  const program = addGlobalOptions(new Command('shopwise')).exitOverride();
  registerProfile(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  try {
    await program.parseAsync(['node', 'shopwise', '--data-dir', dir, '--storage', `sqlite:${db}`, '--workspace', 'shop', 'profile', ...args]);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return lines.join('\n');
}

describe('shopwise profile USER', () => {
  beforeAll(async () => {
    const storage = await openStorage(`sqlite:${db}`);
    await storage.workspaces.createWorkspace({ id: 'shop', name: 'Shop', createdAt: 1 });
    await storage.items.upsert('shop', [{ id: 'g1', title: 'Guitar', categoryPath: ['Music', 'Guitars'], brand: 'Yamaha', price: 1299, tags: ['wood'] }], 1);
    await storage.events.append([
      event(1, { properties: { productId: 'g1' } }),
      event(2, { event: 'Product Added', properties: { productId: 'g1', quantity: 1 } }),
      event(3, { event: 'Products Searched', properties: { query: 'Folk guitar' } }),
    ]);
    await storage.close();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  it('prints a readable summary replayed from the log', async () => {
    const out = await run('u1');
    expect(out).toMatch(/^u1 — workspace shop, full profile/);
    expect(out).toContain('brands: Yamaha');
    expect(out).toContain('Cart: g1 ×1');
    expect(out).toContain('Recent searches: "folk guitar"');
    expect(out).toContain('(log position 3: 3 events replayed (no snapshot))');
  });

  it('prints JSON with --json, and says when there is no such profile', async () => {
    const profile = JSON.parse(await run('u1', '--json'));
    expect(profile).toMatchObject({ userId: 'u1', events: 3, logPosition: 3, rfm: { orders: 0 } });
    expect(await run('nobody')).toContain('no profile for nobody in workspace shop');
    expect(process.exitCode).toBe(1);
  });
});
