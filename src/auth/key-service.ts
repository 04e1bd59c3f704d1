import { AppError } from '../core/errors.js';
import { randomToken, sha256Hex } from '../core/ids.js';
import { type ApiKeyRecord, type Scope, SCOPES, scopeAllows } from '../core/workspace.js';
import type { WorkspaceStore } from '../storage/workspace-store.js';

export interface Principal {
  keyId: string;
  workspaceId: string;
  scopes: Scope[];
}

/** Verified keys are cached this long, so a revoke reaches other servers within it. */
const CACHE_TTL_MS = 10_000;
const KEY_PREFIX = 'sw_';

/**
 * API keys: generated with 192 bits of entropy, shown once, stored as SHA-256 only, checked on every
 * request (cached briefly so the check costs one hash, not one query).
 *
 * @example const { key } = await keys.create('demo', 'storefront', ['ingest']);
 */
export class KeyService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(private readonly store: WorkspaceStore, private readonly clock: () => number = Date.now) {}

  /** Creates a key; the returned `key` is the only time the secret exists outside the client. */
  async create(workspaceId: string, name: string, scopes: Scope[], secret?: string): Promise<{ key: string; record: ApiKeyRecord }> {
    if (scopes.length === 0 || scopes.some((s) => !SCOPES.includes(s))) throw AppError.invalid(`scopes must be a non-empty subset of ${SCOPES.join(', ')}`, { field: 'scopes' });
    const key = secret ?? KEY_PREFIX + randomToken(24);
    if (key.length < 20) throw AppError.invalid('an API key must be at least 20 characters long', { field: 'key' });
    const record: ApiKeyRecord = {
      id: 'key_' + randomToken(9), workspaceId, name, prefix: key.slice(0, 10), hash: sha256Hex(key),
      scopes: [...new Set(scopes)], createdAt: this.clock(), revokedAt: null,
    };
    await this.store.createKey(record);
    return { key, record };
  }

  /** The principal of a presented key, or throws 401 (unknown / revoked) or 403 (lacks the scope). */
  async authenticate(presented: string | undefined, needed: Scope): Promise<Principal> {
    if (!presented) throw AppError.unauthorized('an API key is required: send "Authorization: Bearer <key>"');
    const hash = sha256Hex(presented);
    const now = this.clock();
    let cached = this.cache.get(hash);
    if (!cached || cached.until < now) {
      const record = await this.store.findKeyByHash(hash);
      const principal = record && record.revokedAt === null ? { keyId: record.id, workspaceId: record.workspaceId, scopes: record.scopes } : null;
      cached = { principal, until: now + CACHE_TTL_MS };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, cached);
    }
    if (!cached.principal) throw AppError.unauthorized('the API key is unknown or revoked');
    if (!scopeAllows(cached.principal.scopes, needed)) {
      throw AppError.forbidden(`this key has scopes [${cached.principal.scopes.join(', ')}]; this call needs "${needed}"`);
    }
    return cached.principal;
  }

  async revoke(workspaceId: string, keyId: string): Promise<void> {
    if (!(await this.store.revokeKey(workspaceId, keyId, this.clock()))) throw AppError.notFound(`no live key ${keyId} in workspace ${workspaceId}`, { field: 'keyId' });
    this.cache.clear();
  }

  /**
   * First start: creates the default workspace and its admin key (the configured one, or a new one).
   * Returns the new key when one was generated, so the caller prints it once.
   */
  async bootstrap(workspaceId: string, configuredKey: string): Promise<{ generatedKey?: string }> {
    if (!(await this.store.getWorkspace(workspaceId))) {
      await this.store.createWorkspace({ id: workspaceId, name: workspaceId, createdAt: this.clock() });
    }
    if (configuredKey) {
      if (!(await this.store.findKeyByHash(sha256Hex(configuredKey)))) await this.create(workspaceId, 'admin (from config)', ['admin'], configuredKey);
      return {};
    }
    const live = (await this.store.listKeys(workspaceId)).filter((k) => k.revokedAt === null && k.scopes.includes('admin'));
    if (live.length > 0) return {};
    return { generatedKey: (await this.create(workspaceId, 'admin (first start)', ['admin'])).key };
  }
}
