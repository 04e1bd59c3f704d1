import { AppError } from '../core/errors.js';

/**
 * Strings ↔ dense ids (items, category paths, brands, tags, event names, devices), so profiles hold
 * small integers in typed arrays instead of strings. Ids are never reused; the vocabulary is bounded by
 * the catalog and the names shops send; the search vocabulary, which is free text, is compacted now and
 * then (WorkspaceState.compactQueries).
 *
 * @example const items = new Interner(); items.id('sku-1') // 0; items.name(0) // 'sku-1'
 */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  constructor(names: readonly string[] = []) {
    for (const name of names) this.id(name);
  }

  /** The id of `name`, assigning the next one when new. */
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** The id of `name` if it has one. */
  find(name: string): number | undefined {
    return this.ids.get(name);
  }

  name(id: number): string {
    const name = this.names[id];
    if (name === undefined) throw AppError.invalid(`interner has no id ${id} (it holds ${this.names.length}): a profile refers to a name that was never stored`);
    return name;
  }

  get size(): number {
    return this.names.length;
  }

  /** All names in id order (what a snapshot stores). */
  list(): readonly string[] {
    return this.names;
  }
}
