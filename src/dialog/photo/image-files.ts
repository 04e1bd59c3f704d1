import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Item } from '../../core/catalog.js';
import { AppError } from '../../core/errors.js';

/** Where an item's picture came from, with a version that changes when the picture does. */
export interface ItemImage {
  bytes: Uint8Array;
  /** e.g. `stored:1733140000000:5120` or `file:/srv/shop/img/1.jpg:1733140000000:20480`. */
  version: string;
}

/**
 * Item pictures on disk: the ones Shopwise stores itself (`<dataDir>/images/<workspace>/<item>.png`,
 * the demo shop's generated pictures) and the shop's own, named by the item's `imageUrl` when it is a
 * local path or a `file://` URL inside one of `roots` (default: the data dir). Remote URLs are never
 * fetched: such an item has no picture for photo search.
 *
 * @example
 * const files = new ImageFiles('.shopwise');
 * files.write('demo', 'p-00001', pngBytes);
 * files.load(item)?.bytes;
 */
export class ImageFiles {
  private readonly roots: string[];

  constructor(readonly dataDir: string, options: { roots?: string[] } = {}) {
    this.roots = (options.roots ?? [dataDir]).map((r) => resolve(r));
  }

  /** The file of a stored picture (item ids may hold `/` and other characters: they are URI-encoded). */
  pathOf(workspaceId: string, itemId: string): string {
    return join(this.dataDir, 'images', encodeURIComponent(workspaceId), `${encodeURIComponent(itemId)}.png`);
  }

  /** Stores a picture (written to a temporary file and renamed, so a reader never sees half a file). */
  write(workspaceId: string, itemId: string, png: Uint8Array): string {
    const path = this.pathOf(workspaceId, itemId);
    mkdirSync(join(path, '..'), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, png);
    renameSync(temporary, path);
    return path;
  }

  /** The stored picture of an item, if any. */
  readStored(workspaceId: string, itemId: string): ItemImage | undefined {
    return readVersioned(this.pathOf(workspaceId, itemId), 'stored');
  }

  /**
   * An item's picture: the stored one, else the local file its `imageUrl` names (a path relative to the
   * data dir, an absolute path or a file:// URL, inside the allowed roots), else undefined.
   */
  load(item: Pick<Item, 'workspaceId' | 'id' | 'imageUrl'>): ItemImage | undefined {
    const stored = this.readStored(item.workspaceId, item.id);
    if (stored) return stored;
    const path = this.localPath(item.imageUrl);
    return path ? readVersioned(path, `file:${path}`) : undefined;
  }

  /** The version of an item's picture without reading it (what `load` would return as `version`). */
  versionOf(item: Pick<Item, 'workspaceId' | 'id' | 'imageUrl'>): string | undefined {
    const stored = statVersion(this.pathOf(item.workspaceId, item.id), 'stored');
    if (stored) return stored;
    const path = this.localPath(item.imageUrl);
    return path ? statVersion(path, `file:${path}`) : undefined;
  }

  /** The local file an imageUrl names, when it is one inside the roots (never a remote URL). */
  localPath(imageUrl: string | null | undefined): string | undefined {
    if (!imageUrl) return undefined;
    let path: string;
    if (imageUrl.startsWith('file://')) {
      try {
        path = fileURLToPath(imageUrl);
      } catch {
        return undefined;
      }
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(imageUrl) || imageUrl.startsWith('/v1/')) {
      return undefined; // http(s), data:, or our own route (served from the stored file)
    } else {
      path = isAbsolute(imageUrl) ? imageUrl : resolve(this.dataDir, imageUrl);
    }
    path = resolve(path);
    const inside = this.roots.some((root) => {
      const rel = relative(root, path);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    });
    return inside ? path : undefined;
  }
}

function statVersion(path: string, source: string): string | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? `${source}:${Math.round(stat.mtimeMs)}:${stat.size}` : undefined;
  } catch {
    return undefined;
  }
}

function readVersioned(path: string, source: string): ItemImage | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return undefined;
    if (stat.size > 64 * 1024 * 1024) throw AppError.invalid(`the picture ${path} is over 64 MB`, { field: 'imageUrl' });
    return { bytes: new Uint8Array(readFileSync(path)), version: `${source}:${Math.round(stat.mtimeMs)}:${stat.size}` };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}
