import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../core/errors.js';

/**
 * Snapshot files of the profile processor: `<dataDir>/profiles/profiles.snapshot`.
 *
 * Layout: 8 bytes magic `SWPROF01`, a little-endian u32 length, that many bytes of UTF-8 JSON (the
 * header: log position, settings, vocabularies, ids, and for each binary array its name, type, offset and
 * length), zero padding to a multiple of 8, then the arrays' bytes. A snapshot is written to a temporary
 * file beside the real one, fsynced, renamed over it and the directory fsynced: a reader (or a restart
 * after SIGKILL or power loss) sees the previous snapshot or the new one, never a torn file.
 *
 * Why a file, not a store table: snapshots are large binary blobs written often by each processor; the
 * data dir is local, fast and needs no schema, and every server of a PostgreSQL deployment rebuilds its
 * own profiles from the shared log anyway.
 */

const MAGIC = Buffer.from('SWPROF01', 'latin1');

type TypedArray = Float64Array | Float32Array | Uint32Array | Int32Array | Uint16Array;
const TYPES = { Float64Array, Float32Array, Uint32Array, Int32Array, Uint16Array } as const;
type TypeName = keyof typeof TYPES;

interface ArrayEntry {
  name: string;
  type: TypeName;
  offset: number;
  length: number;
}

/** A snapshot: JSON-able header fields and named typed arrays. */
export interface SnapshotContent {
  header: Record<string, unknown>;
  arrays: Record<string, TypedArray>;
}

/**
 * The default snapshot path under a data dir.
 *
 * @example snapshotPath('.shopwise') // '.shopwise/profiles/profiles.snapshot'
 */
export function snapshotPath(dataDir: string): string {
  return join(dataDir, 'profiles', 'profiles.snapshot');
}

/**
 * Encodes a snapshot to buffers (header, then arrays), ready to write.
 *
 * @example const chunks = encodeSnapshot({ header: { position: 9 }, arrays: { f64: new Float64Array(2) } });
 */
export function encodeSnapshot(content: SnapshotContent): Buffer[] {
  const entries: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(content.arrays)) {
    entries.push({ name, type: array.constructor.name as TypeName, offset, length: array.length });
    offset += array.byteLength + pad8(array.byteLength);
  }
  const json = Buffer.from(JSON.stringify({ ...content.header, arrays: entries }), 'utf8');
  const head = Buffer.alloc(12);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(json.length, 8);
  const chunks: Buffer[] = [head, json, Buffer.alloc(pad8(12 + json.length))];
  for (const array of Object.values(content.arrays)) {
    chunks.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    if (pad8(array.byteLength)) chunks.push(Buffer.alloc(pad8(array.byteLength)));
  }
  return chunks;
}

/**
 * Decodes what `encodeSnapshot` wrote; throws AppError('invalid') on anything else.
 *
 * @example const { header, arrays } = decodeSnapshot(await readFile(path));
 */
export function decodeSnapshot(bytes: Buffer, source = 'snapshot'): SnapshotContent {
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(MAGIC)) throw AppError.invalid(`${source} is not a profile snapshot (bad magic)`);
  const jsonLength = bytes.readUInt32LE(8);
  if (12 + jsonLength > bytes.length) throw AppError.invalid(`${source} is truncated: header of ${jsonLength} bytes, file of ${bytes.length}`);
  const header = JSON.parse(bytes.subarray(12, 12 + jsonLength).toString('utf8')) as Record<string, unknown> & { arrays: ArrayEntry[] };
  const base = 12 + jsonLength + pad8(12 + jsonLength);
  const arrays: Record<string, TypedArray> = {};
  for (const entry of header.arrays) {
    const Type = TYPES[entry.type];
    if (!Type) throw AppError.invalid(`${source} has an array ${entry.name} of unknown type ${entry.type}`);
    const start = base + entry.offset;
    const byteLength = entry.length * Type.BYTES_PER_ELEMENT;
    if (start + byteLength > bytes.length) throw AppError.invalid(`${source} is truncated in array ${entry.name}`);
    // Copy out: the file buffer may not be aligned for the element size.
    const array = new Type(entry.length);
    new Uint8Array(array.buffer).set(bytes.subarray(start, start + byteLength));
    arrays[entry.name] = array;
  }
  const { arrays: _entries, ...rest } = header;
  return { header: rest, arrays };
}

/**
 * Writes a snapshot atomically (temp file, fsync, rename, fsync of the directory).
 *
 * @example await writeSnapshotFile(snapshotPath(dataDir), encodeSnapshot(content));
 */
export async function writeSnapshotFile(path: string, chunks: Buffer[]): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  // One processor writes per data dir; a temp file left by a crash is simply overwritten.
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w');
  let bytes = 0;
  try {
    for (const chunk of chunks) {
      for (let done = 0; done < chunk.length;) done += (await file.write(chunk, done, chunk.length - done)).bytesWritten;
      bytes += chunk.length;
    }
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return bytes;
}

/** Reads a snapshot file, or undefined when there is none. */
export async function readSnapshotFile(path: string): Promise<SnapshotContent | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return decodeSnapshot(bytes, path);
}

function pad8(n: number): number {
  return (8 - (n % 8)) % 8;
}
