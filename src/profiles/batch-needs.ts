import type { StoredEvent } from '../core/events.js';
import { forEachProduct } from './apply-event.js';
import { F64, F64_WIDTH } from './profile-layout.js';
import type { ProfileTable } from './profile-table.js';
import type { WorkspaceState } from './workspace-state.js';

/** What a batch needs read before it can be applied, per workspace. */
export interface BatchNeeds {
  /** Items the batch names that are not cached or whose cache entry is older than the item TTL. */
  items: Set<string>;
  /** Users whose consent was never read or was read longer ago than the consent TTL. */
  users: Set<string>;
}

/**
 * The items and consents of `batch` that are missing or stale, grouped by workspace. Pure: reads only
 * the caches and the profile table.
 *
 * @example for (const [ws, need] of batchNeeds(batch, table, (id) => workspaces.get(id)!, Date.now(), { itemTtlMs: 300_000, consentTtlMs: 300_000 })) …
 */
export function batchNeeds(
  batch: readonly StoredEvent[], table: ProfileTable, workspaceOf: (id: string) => WorkspaceState, now: number,
  ttl: { itemTtlMs: number; consentTtlMs: number },
): Map<WorkspaceState, BatchNeeds> {
  const needs = new Map<WorkspaceState, BatchNeeds>();
  for (const e of batch) {
    const ws = workspaceOf(e.workspaceId);
    let need = needs.get(ws);
    if (!need) needs.set(ws, (need = { items: new Set(), users: new Set() }));
    const items = need.items;
    forEachProduct(e.properties, (id) => {
      const cached = ws.itemCache.get(id);
      if (!cached || now - cached.fetchedAt > ttl.itemTtlMs) items.add(id);
    });
    const user = e.userId;
    if (user === null) continue;
    const slot = ws.users.get(user);
    const checked = slot !== undefined ? table.f64[slot * F64_WIDTH + F64.consentCheckedAt]! : ws.untracked.get(user);
    if (checked === undefined || now - checked > ttl.consentTtlMs) need.users.add(user);
  }
  return needs;
}
