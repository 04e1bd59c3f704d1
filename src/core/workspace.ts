/**
 * Workspaces are shops: every record carries one, and API keys belong to one.
 * Scopes: `ingest` may send events, `read` may read, `admin` may do everything in its workspace
 * (catalog and user writes, keys). The admin of the operator's workspace may also create workspaces.
 */
export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Workspace {
  id: string;
  name: string;
  createdAt: number;
}

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  name: string;
  /** First characters of the key, safe to show, to tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key; the key itself is never stored. */
  hash: string;
  scopes: Scope[];
  createdAt: number;
  revokedAt: number | null;
}

/** True when a key with `granted` scopes may act with `needed`. */
export function scopeAllows(granted: readonly Scope[], needed: Scope): boolean {
  return granted.includes('admin') || granted.includes(needed);
}
