import type { ApiKeyRecord, Workspace } from '../core/workspace.js';

/** Workspaces (shops) and their API keys. Keys are stored as SHA-256 hashes only. */
export interface WorkspaceStore {
  createWorkspace(workspace: Workspace): Promise<void>;
  getWorkspace(id: string): Promise<Workspace | undefined>;
  listWorkspaces(): Promise<Workspace[]>;
  createKey(key: ApiKeyRecord): Promise<void>;
  /** The key whose hash is `hash`, revoked or not (callers check `revokedAt`). */
  findKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  listKeys(workspaceId: string): Promise<ApiKeyRecord[]>;
  /** Revokes a key of the workspace; false when no such live key exists. */
  revokeKey(workspaceId: string, keyId: string, at: number): Promise<boolean>;
}
