import type { Page, User, UserInput } from '../core/catalog.js';

export interface ListQuery {
  cursor?: string;
  limit: number;
  includeDeleted?: boolean;
}

export interface UpsertCounts {
  created: number;
  updated: number;
}

/** Users of a workspace with traits and consent per purpose. Deletion is soft (`deletedAt`). */
export interface UserStore {
  /** Inserts or replaces users (a soft-deleted user comes back); all in one transaction. */
  upsert(workspaceId: string, users: UserInput[], now: number): Promise<UpsertCounts>;
  get(workspaceId: string, id: string, options?: { includeDeleted?: boolean }): Promise<User | undefined>;
  list(workspaceId: string, query: ListQuery): Promise<Page<User>>;
  /** Marks a user deleted; false when there is no live user with that id. */
  softDelete(workspaceId: string, id: string, at: number): Promise<boolean>;
  count(workspaceId: string): Promise<number>;
}
