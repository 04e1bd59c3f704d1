import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShop } from './shop.js';
import { loadTruth, saveTruth } from './truth.js';
import { trueUtility } from './utility.js';

describe('ground truth', () => {
  const shop = generateShop({ seed: 9, users: 40, items: 500, days: 7, likedPerUser: 25 });

  it('lists for each user the items of highest true utility, best first', () => {
    const { catalog, profiles } = shop.model;
    for (const user of profiles.slice(0, 10)) {
      const ranked = catalog.items.map((item, i) => ({ id: item.id, u: trueUtility(user, catalog, i), i }))
        .sort((a, b) => b.u - a.u || a.i - b.i).slice(0, 25).map((x) => x.id);
      expect(shop.truth.userTruth[user.index]!.liked).toEqual(ranked);
    }
  });

  it('keeps tastes, price sensitivity and brand affinity per user', () => {
    expect(shop.truth.userTruth).toHaveLength(40);
    expect(shop.truth.tops).toHaveLength(8);
    for (const user of shop.truth.userTruth) {
      expect(user.topTaste.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
      expect(user.leafTaste.every(([leaf, w]) => leaf < shop.truth.leaves.length && w >= 0.005)).toBe(true);
      expect(user.priceSensitivity).toBeGreaterThanOrEqual(0);
      expect(user.priceSensitivity).toBeLessThanOrEqual(1);
      expect(Object.keys(user.brandAffinity).length).toBeGreaterThan(0);
    }
    expect(shop.truth.itemTruth).toHaveLength(500);
  });

  it('round-trips through JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopwise-truth-'));
    try {
      const path = join(dir, 'nested', 'truth.json');
      saveTruth(shop.truth, path);
      expect(loadTruth(path)).toEqual(shop.truth);
      writeFileSync(join(dir, 'other.json'), '{"hello":1}');
      expect(() => loadTruth(join(dir, 'other.json'))).toThrow(/not a Shopwise ground truth/);
      expect(() => loadTruth(join(dir, 'missing.json'))).toThrow(/cannot read the ground truth/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
