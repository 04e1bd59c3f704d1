import { AppError } from '../../core/errors.js';
import { isValidId, randomToken } from '../../core/ids.js';
import type { EventStore } from '../../storage/event-store.js';
import type { SegmentInfo, SegmentStore } from '../../storage/segment-store.js';
import { BUILTIN_SEGMENTS, isBuiltinSegment } from './builtin-segments.js';
import { formatRule } from './rule-ast.js';
import { parseRule } from './rule-parser.js';
import type { SegmentEngine } from './segment-engine.js';
import { type MemberPage, pageMembers } from './segment-members.js';
import type { RulePreview } from './segment-preview.js';

/** A segment as the API shows it: its definition and its members now. */
export interface SegmentView {
  id: string;
  name: string;
  description: string | null;
  kind: 'rule' | 'list' | 'builtin';
  rule: string | null;
  /** The rule in canonical form (keywords upper case, spacing normalised). */
  canonicalRule: string | null;
  members: number;
  createdAt: number | null;
  updatedAt: number | null;
}

export interface SegmentRequest {
  id?: string;
  name: string;
  description?: string | null;
  rule?: string;
  userIds?: string[];
}

/**
 * Segments for the HTTP API and the CLI: definitions in the SegmentStore, members in the engine. A
 * definition is checked (rule syntax, referenced segments, cycles) before it is stored, and the engine
 * takes it at once; built-in segments are listed but cannot be changed.
 *
 * @example
 * const segments = new SegmentService({ store: storage.segments, engine, identities: storage.events });
 * await segments.start(['demo']);
 * await segments.create('demo', { name: 'Guitar lovers', rule: 'interest("category:Guitars") > 0.3' }, Date.now());
 */
export class SegmentService {
  /** updatedAt of each definition the engine has, by workspace and id (what `refresh` compares). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly deps: { store: SegmentStore; engine: SegmentEngine; identities?: Pick<EventStore, 'resolveIdentity'>; onError?: (error: unknown) => void }) {}

  /** Gives the engine every stored segment of these workspaces (a definition that no longer compiles is reported and skipped). */
  async start(workspaceIds: readonly string[]): Promise<void> {
    for (const ws of workspaceIds) {
      this.deps.engine.workspace(ws);
      const infos = await this.deps.store.list(ws);
      // Lists first: rules may read them; then rules in creation order, retried while they read later ones.
      let waiting = [...infos.filter((s) => s.kind === 'list'), ...infos.filter((s) => s.kind === 'rule')];
      for (let round = 0; waiting.length && round < infos.length + 1; round++) {
        const failed: { info: SegmentInfo; error: unknown }[] = [];
        for (const info of waiting) {
          const record = await this.deps.store.get(ws, info.id);
          if (!record) continue;
          try {
            await this.deps.engine.define(ws, record);
            this.seen.set(`${ws}\u0000${record.id}`, record.updatedAt);
          } catch (error) {
            failed.push({ info, error });
          }
        }
        if (failed.length === waiting.length) {
          for (const f of failed) this.deps.onError?.(f.error);
          break;
        }
        waiting = failed.map((f) => f.info);
      }
    }
  }

  /**
   * Takes up definitions another process changed in the store (the CLI, another server): new or
   * updated ones are defined, deleted ones removed. Returns how many changed.
   */
  async refresh(workspaceId: string): Promise<number> {
    const stored = await this.deps.store.list(workspaceId);
    let changed = 0;
    for (const info of stored) {
      if (this.seen.get(`${workspaceId}\u0000${info.id}`) === info.updatedAt) continue;
      const record = await this.deps.store.get(workspaceId, info.id);
      if (!record) continue;
      try {
        await this.deps.engine.define(workspaceId, record);
        this.seen.set(`${workspaceId}\u0000${info.id}`, info.updatedAt);
        changed++;
      } catch (error) {
        this.deps.onError?.(error);
      }
    }
    const ids = new Set(stored.map((s) => s.id));
    for (const key of [...this.seen.keys()]) {
      const [ws, id] = key.split('\u0000') as [string, string];
      if (ws !== workspaceId || ids.has(id)) continue;
      this.seen.delete(key);
      try {
        this.deps.engine.remove(workspaceId, id);
        changed++;
      } catch (error) {
        this.deps.onError?.(error);
      }
    }
    return changed;
  }

  async list(workspaceId: string): Promise<SegmentView[]> {
    const stored = await this.deps.store.list(workspaceId);
    return [...BUILTIN_SEGMENTS.map((b) => this.view(workspaceId, { ...b, description: b.description, kind: 'builtin', createdAt: null, updatedAt: null })), ...stored.map((s) => this.view(workspaceId, s))];
  }

  async get(workspaceId: string, id: string): Promise<SegmentView> {
    const builtin = BUILTIN_SEGMENTS.find((b) => b.id === id);
    if (builtin) return this.view(workspaceId, { ...builtin, kind: 'builtin', createdAt: null, updatedAt: null });
    const record = await this.deps.store.get(workspaceId, id);
    if (!record) throw notFound(id);
    return this.view(workspaceId, record);
  }

  /** Creates a segment (id generated unless given); 409 when the id or the name is taken. */
  async create(workspaceId: string, request: SegmentRequest, now: number): Promise<SegmentView> {
    const id = request.id ?? `seg_${randomToken(9)}`;
    if (isBuiltinSegment(id) || (await this.deps.store.get(workspaceId, id))) throw AppError.conflict(`segment ${id} exists; PUT /v1/segments/${id} replaces it`, { field: 'id' });
    return this.save(workspaceId, id, request, now);
  }

  /** Creates or replaces segment `id`. */
  async replace(workspaceId: string, id: string, request: SegmentRequest, now: number): Promise<SegmentView> {
    if (isBuiltinSegment(id)) throw AppError.forbidden(`${id} is a built-in segment; it cannot be changed`, { field: 'id' });
    return this.save(workspaceId, id, request, now);
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    if (isBuiltinSegment(id)) throw AppError.forbidden(`${id} is a built-in segment; it cannot be deleted`, { field: 'id' });
    if (!(await this.deps.store.get(workspaceId, id))) throw notFound(id);
    this.deps.engine.remove(workspaceId, id);
    await this.deps.store.delete(workspaceId, id);
    this.seen.delete(`${workspaceId}\u0000${id}`);
  }

  preview(workspaceId: string, rule: string, sample = 20): Promise<RulePreview> {
    return this.deps.engine.preview(workspaceId, rule, sample);
  }

  async members(workspaceId: string, id: string, page: { cursor?: string; limit: number }): Promise<MemberPage> {
    const segment = this.deps.engine.segment(workspaceId, id);
    if (!segment || segment.def.id !== id) {
      await this.get(workspaceId, id); // 404 when it does not exist at all
      throw AppError.unavailable(`segment ${id} is still being evaluated; try again shortly`);
    }
    return pageMembers(segment.list ?? segment.members, page.cursor, page.limit);
  }

  /** The segments a user (or an identified anonymous id) is in now. */
  async segmentsOf(workspaceId: string, id: string): Promise<{ userId: string; segments: { id: string; name: string }[] }> {
    let key = id;
    const engine = this.deps.engine;
    if (engine.segmentsOf(workspaceId, id).length === 0 && this.deps.identities) key = (await this.deps.identities.resolveIdentity(workspaceId, id)) ?? id;
    const segments = engine.segmentsOf(workspaceId, key).map((s) => ({ id: s, name: engine.segment(workspaceId, s)!.def.name }));
    return { userId: key, segments };
  }

  private async save(workspaceId: string, id: string, request: SegmentRequest, now: number): Promise<SegmentView> {
    if (!isValidId(id)) throw AppError.invalid(`segment id "${id}" must be 1–128 letters, digits or _.:@-+/=#~`, { field: 'id' });
    const hasRule = typeof request.rule === 'string';
    if (hasRule === Array.isArray(request.userIds)) throw AppError.invalid('a segment has either a rule or userIds (a static list), not both and not neither', { field: hasRule ? 'userIds' : 'rule' });
    if (hasRule) parseRule(request.rule!);
    const bad = request.userIds?.findIndex((u) => typeof u !== 'string' || !isValidId(u)) ?? -1;
    if (bad >= 0) throw AppError.invalid(`userIds[${bad}] is not a valid user id`, { field: 'userIds', index: bad });
    const input = { id, name: request.name, description: request.description ?? null, kind: hasRule ? 'rule' as const : 'list' as const, rule: request.rule ?? null, userIds: request.userIds ?? null };
    const previous = await this.deps.store.get(workspaceId, id);
    const { record } = await this.deps.store.put(workspaceId, input, now);
    try {
      await this.deps.engine.define(workspaceId, record);
      this.seen.set(`${workspaceId}\u0000${id}`, record.updatedAt);
    } catch (error) {
      // The engine refused it (a segment("…") that does not exist, a cycle): the store keeps what it had.
      if (previous) await this.deps.store.put(workspaceId, previous, previous.updatedAt);
      else await this.deps.store.delete(workspaceId, id);
      throw error;
    }
    return this.view(workspaceId, record);
  }

  private view(workspaceId: string, s: { id: string; name: string; rule: string | null; description: string | null; kind: SegmentView['kind']; createdAt: number | null; updatedAt: number | null }): SegmentView {
    const active = this.deps.engine.segment(workspaceId, s.id);
    return {
      id: s.id, name: s.name, description: s.description, kind: s.kind, rule: s.rule, canonicalRule: s.rule ? formatRule(parseRule(s.rule)) : null,
      members: active && active.def.id === s.id ? (active.list ?? active.members).size : 0, createdAt: s.createdAt, updatedAt: s.updatedAt,
    };
  }
}

function notFound(id: string): AppError {
  return AppError.notFound(`no segment ${id} in this workspace`, { field: 'id' });
}
