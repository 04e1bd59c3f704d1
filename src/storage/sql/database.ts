import type { Generated } from 'kysely';

/**
 * Table shapes shared by the SQLite and PostgreSQL schemas. JSON columns hold text in SQLite and
 * jsonb in PostgreSQL; times are epoch milliseconds; booleans are 0/1 integers in both.
 */
export interface Database {
  workspaces: { id: string; name: string; created_at: number };
  api_keys: {
    id: string; workspace_id: string; name: string; prefix: string; hash: string;
    scopes: string; created_at: number; revoked_at: number | null;
  };
  users: {
    workspace_id: string; id: string; traits: string; consent: string;
    created_at: number; updated_at: number; deleted_at: number | null;
  };
  items: {
    workspace_id: string; id: string; title: string; description: string | null; translations: string;
    category_path: string; category_key: string; brand: string | null; price: number | null; currency: string | null; tags: string;
    image_url: string | null; attributes: string; stock: number | null; sponsored: number;
    created_at: number; updated_at: number; deleted_at: number | null;
  };
  events: {
    seq: Generated<number>; workspace_id: string; message_id: string; type: string; event: string;
    user_id: string | null; anonymous_id: string | null; previous_id: string | null;
    timestamp: number; received_at: number; channel: string | null;
    properties: string; traits: string; context: string;
  };
  identities: { workspace_id: string; anonymous_id: string; user_id: string; created_at: number };
  /** Trained model files; `data` is a blob in SQLite and bytea in PostgreSQL (a Buffer from both drivers). */
  models: {
    workspace_id: string; name: string; version: number; model: string;
    params: string; metrics: string; bytes: number; created_at: number; data: Uint8Array;
  };
}

export type Dialect = 'sqlite' | 'postgres';

/** JSON columns come back as text from SQLite and as values from PostgreSQL. */
export function readJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
