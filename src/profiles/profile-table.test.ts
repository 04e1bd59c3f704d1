import { describe, expect, it } from 'vitest';
import { INTEREST_KIND, SECTION } from './profile-layout.js';
import { PairArena, SIZE_CLASSES, sizeClassFor } from './pair-arena.js';
import { ProfileTable } from './profile-table.js';
import { addInterest, pushRecent } from './profile-updates.js';
import { WorkspaceState } from './workspace-state.js';

describe('PairArena and ProfileTable', () => {
  it('picks size classes and reuses freed blocks', () => {
    expect(sizeClassFor(1)).toBe(0);
    expect(SIZE_CLASSES[sizeClassFor(7)]).toBe(8);
    expect(() => sizeClassFor(10_000)).toThrow(/exceeds the largest block/);
    const arena = new PairArena(8);
    const a = arena.alloc(1);
    arena.keys[a] = 42;
    arena.release(a, 1);
    expect(arena.alloc(1)).toBe(a);
    expect(arena.keys[a]).toBe(0);
    expect(arena.usedPairs()).toBe(SIZE_CLASSES[1]);
  });

  it('keeps every value while sections grow and the arena reallocates under them', () => {
    const table = new ProfileTable(2);
    const slots = Array.from({ length: 5 }, () => table.allocSlot());
    // Interleaved growth: blocks move, the arena's arrays are replaced many times, the table's columns too.
    for (let n = 0; n < 300; n++) {
      for (const slot of slots) addInterest(table, slot, (n * 7 + slot) * 4 + INTEREST_KIND.tag, 1 + n + slot / 10, 1000);
    }
    for (const slot of slots) {
      expect(table.length(slot, SECTION.interests)).toBe(300);
      for (let n = 0; n < 300; n++) {
        const i = table.find(slot, SECTION.interests, (n * 7 + slot) * 4 + INTEREST_KIND.tag);
        expect(table.arena.values[i]).toBeCloseTo(1 + n + slot / 10, 4);
      }
    }
    expect(table.capacity).toBeGreaterThanOrEqual(5);
  });

  it('frees a slot with its sections and hands it out again empty', () => {
    const table = new ProfileTable();
    const slot = table.allocSlot();
    for (let i = 0; i < 10; i++) pushRecent(table, slot, SECTION.recent, i, 100 + i, 5);
    expect(Array.from(table.pairs(slot, SECTION.recent).keys)).toEqual([5, 6, 7, 8, 9]);
    table.releaseSlot(slot);
    expect(table.count).toBe(0);
    const again = table.allocSlot();
    expect(again).toBe(slot);
    expect(table.length(again, SECTION.recent)).toBe(0);
  });

  it('exports and restores bit for bit', () => {
    const table = new ProfileTable();
    const a = table.allocSlot();
    const b = table.allocSlot();
    table.bump(a, SECTION.counts, 3, 7);
    addInterest(table, b, 8, 2.5, 10);
    table.ids[a] = 'alice';
    table.ids[b] = 'bob';
    pushRecent(table, b, SECTION.searches, 4, 1, 10);
    table.releaseSlot(a);
    const restored = ProfileTable.restore(table.export());
    expect(restored.count).toBe(1);
    expect([restored.ids[a], restored.ids[b]]).toEqual([undefined, 'bob']);
    expect(Array.from(restored.pairs(b, SECTION.searches).keys)).toEqual([4]);
    expect(Array.from(restored.pairs(b, SECTION.interests).keys)).toEqual([8]);
    expect(restored.allocSlot()).toBe(a);
  });

  it('compacts the search vocabulary to the queries profiles still hold', () => {
    const table = new ProfileTable();
    const ws = new WorkspaceState('shop', 0);
    const slot = table.allocSlot();
    ws.users.set('u1', slot);
    for (let i = 0; i < 100_005; i++) pushRecent(table, slot, SECTION.searches, ws.queries.id(`query ${i}`), i, 3);
    ws.compactQueries(table);
    expect(ws.queries.size).toBe(3);
    expect(Array.from(table.pairs(slot, SECTION.searches).keys, (k) => ws.queries.name(k))).toEqual(['query 100002', 'query 100003', 'query 100004']);
  });
});
