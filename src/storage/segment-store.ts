/** A segment as written: a rule over profiles, or a static list of user ids (an uploaded list). */
export interface SegmentInput {
  id: string;
  name: string;
  description?: string | null;
  kind: 'rule' | 'list';
  /** The rule text (kind rule); the segments module checks it before it is stored. */
  rule?: string | null;
  /** The members (kind list). */
  userIds?: readonly string[] | null;
}

/** A stored segment definition. */
export interface SegmentRecord {
  workspaceId: string;
  id: string;
  name: string;
  description: string | null;
  kind: 'rule' | 'list';
  rule: string | null;
  /** The members of a list (empty for a rule). */
  userIds: string[];
  /** Members of a list (0 for a rule: rule members live in the segment engine). */
  listSize: number;
  createdAt: number;
  updatedAt: number;
}

/** A segment as listed: everything but a list's ids. */
export type SegmentInfo = Omit<SegmentRecord, 'userIds'>;

/**
 * Segment definitions per workspace. Ids and names are unique per workspace (a rule names another
 * segment by either); `put` creates or replaces, keeping `createdAt`.
 */
export interface SegmentStore {
  /** Creates or replaces; a name another segment of the workspace has is a conflict. */
  put(workspaceId: string, input: SegmentInput, now: number): Promise<{ record: SegmentRecord; created: boolean }>;
  get(workspaceId: string, id: string): Promise<SegmentRecord | undefined>;
  /** Every segment of the workspace, by creation time then id. */
  list(workspaceId: string): Promise<SegmentInfo[]>;
  /** False when there was no such segment. */
  delete(workspaceId: string, id: string): Promise<boolean>;
}
