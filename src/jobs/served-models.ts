import { TrainedModel } from '../recommend/trained-model.js';
import type { ModelInfo, ModelStore } from '../storage/model-store.js';

/** A model being served: the trained model and the version it came from. */
export interface ServedModel {
  trained: TrainedModel;
  info: ModelInfo;
}

export interface ServedModelsOptions {
  /**
   * When storage is shared by several processes, how often (ms) a request checks whether another
   * process saved a newer version (0 = never; one process owns its models).
   */
  refreshMs?: number;
  /** How long (ms) "nothing trained yet" is remembered before the store is asked again. */
  missMs?: number;
}

interface Slot {
  served?: ServedModel;
  loading?: Promise<ServedModel | undefined>;
  checkedAt: number;
}

/**
 * The trained models a process serves, per workspace and name. A model is loaded from the model
 * store's newest version on the first request for it (so a restart serves what was trained before),
 * and swapped in place when a training job saves a new version; requests already running keep the
 * model they started with.
 *
 * @example
 * const served = new ServedModels(storage.models);
 * const current = await served.get('shop-a', 'default'); // undefined until a version exists
 */
export class ServedModels {
  private readonly slots = new Map<string, Slot>();
  private readonly refreshMs: number;
  private readonly missMs: number;

  constructor(private readonly store: ModelStore, options: ServedModelsOptions = {}) {
    this.refreshMs = options.refreshMs ?? 0;
    this.missMs = options.missMs ?? 2000;
  }

  /** The model served for (workspace, name), loading the newest stored version when needed. */
  async get(workspaceId: string, name: string): Promise<ServedModel | undefined> {
    const key = keyOf(workspaceId, name);
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { checkedAt: -Infinity }));
    if (slot.loading) return slot.loading;
    const age = Date.now() - slot.checkedAt;
    const stale = slot.served ? this.refreshMs > 0 && age >= this.refreshMs : age >= this.missMs;
    if (!stale) return slot.served;
    const current = slot;
    current.loading = this.load(workspaceId, name, current.served).finally(() => {
      current.loading = undefined;
      current.checkedAt = Date.now();
    });
    return current.loading;
  }

  /** Serves `trained` (version `info`) from now on, unless a newer version is already served. */
  install(workspaceId: string, name: string, trained: TrainedModel, info: ModelInfo): void {
    const key = keyOf(workspaceId, name);
    const slot = this.slots.get(key) ?? { checkedAt: -Infinity };
    if (!slot.served || slot.served.info.version <= info.version) slot.served = { trained, info };
    slot.checkedAt = Date.now();
    this.slots.set(key, slot);
  }

  private async load(workspaceId: string, name: string, current: ServedModel | undefined): Promise<ServedModel | undefined> {
    if (current) {
      // Only the list (no bytes) unless a newer version exists.
      const [newest] = await this.store.list(workspaceId, name);
      if (!newest || newest.version <= current.info.version) return current;
    }
    const latest = await this.store.latest(workspaceId, name);
    if (!latest) return current;
    if (current && latest.info.version <= current.info.version) return current;
    const served = { trained: TrainedModel.load(latest.data), info: latest.info };
    this.install(workspaceId, name, served.trained, served.info);
    return this.slots.get(keyOf(workspaceId, name))!.served;
  }
}

function keyOf(workspaceId: string, name: string): string {
  return `${workspaceId}\u001f${name}`;
}
