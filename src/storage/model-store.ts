/** A trained model as listed: everything but its bytes. */
export interface ModelInfo {
  workspaceId: string;
  /** The slot it serves, e.g. `default` or `similar`; versions count up per (workspace, name). */
  name: string;
  version: number;
  /** The algorithm (a recommender registry name such as `ease`). */
  model: string;
  params: Record<string, unknown>;
  /** Evaluation figures and the fit report, as JSON. */
  metrics: Record<string, unknown>;
  /** Size of the model file in bytes. */
  bytes: number;
  createdAt: number;
}

export interface ModelRecord {
  name: string;
  model: string;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  createdAt: number;
  data: Uint8Array;
}

/**
 * Trained models, versioned per workspace and name. `save` assigns the next version (1, 2, …) in one
 * transaction, so two trainings that finish together get different versions; the newest version of a
 * name is the one served.
 */
export interface ModelStore {
  save(workspaceId: string, record: ModelRecord): Promise<ModelInfo>;
  /** The newest version of `name`, with its bytes. */
  latest(workspaceId: string, name: string): Promise<{ info: ModelInfo; data: Uint8Array } | undefined>;
  get(workspaceId: string, name: string, version: number): Promise<{ info: ModelInfo; data: Uint8Array } | undefined>;
  /** Versions of one name (or of every name), newest first. */
  list(workspaceId: string, name?: string): Promise<ModelInfo[]>;
  /** Removes all versions of `name` older than the newest `keep`; returns how many were removed. */
  prune(workspaceId: string, name: string, keep: number): Promise<number>;
}
