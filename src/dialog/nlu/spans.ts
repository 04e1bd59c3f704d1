import { AppError } from '../../core/errors.js';

/** A slot span by token offsets: tokens [start, end) carry the slot `type`. */
export interface TagSpan {
  type: string;
  start: number;
  end: number;
}

/**
 * The prefix (B, I, E, S, or O) and the type of one tag; O has the type ''. A tag that is neither is
 * an `AppError('invalid')` with `detail.index` = `index`.
 *
 * @example parseTag('B-object_type') // { prefix: 'B', type: 'object_type' }
 */
export function parseTag(tag: string, index = 0): { prefix: 'B' | 'I' | 'E' | 'S' | 'O'; type: string } {
  if (tag === 'O') return { prefix: 'O', type: '' };
  const m = /^([BIES])-(.+)$/.exec(tag);
  if (!m) throw AppError.invalid(`tag ${index} "${tag}" is neither O nor B-, I-, E-, S- followed by a slot type`, { field: 'tags', index });
  return { prefix: m[1] as 'B' | 'I' | 'E' | 'S', type: m[2]! };
}

/**
 * The spans of a tag sequence, with conlleval's chunk rules (BIO, and IOBES as well): a span starts at
 * B- or S-, and at I- or E- when the previous tag is O, ends a span (E-, S-) or has another type — so
 * an I- without its B- starts a span; a span ends before O, B-, S- or a tag of another type, and right
 * after E- or S-.
 *
 * @example
 * bioToSpans(['O', 'B-artist', 'I-artist', 'I-album']) // [{ type: 'artist', start: 1, end: 3 }, { type: 'album', start: 3, end: 4 }]
 * bioToSpans(['I-city', 'O']) // [{ type: 'city', start: 0, end: 1 }]
 */
export function bioToSpans(tags: readonly string[]): TagSpan[] {
  const spans: TagSpan[] = [];
  let open: TagSpan | undefined;
  let prev = { prefix: 'O', type: '' };
  tags.forEach((tag, i) => {
    const cur = parseTag(tag, i);
    if (open && endsChunk(prev.prefix, cur.prefix, prev.type, cur.type)) {
      open.end = i;
      spans.push(open);
      open = undefined;
    }
    if (startsChunk(prev.prefix, cur.prefix, prev.type, cur.type)) open = { type: cur.type, start: i, end: i + 1 };
    prev = cur;
  });
  if (open) {
    open.end = tags.length;
    spans.push(open);
  }
  return spans;
}

// conlleval's endOfChunk / startOfChunk.
function endsChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === 'E' || prevTag === 'S') return true;
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  return prevTag !== 'O' && prevType !== type;
}

function startsChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prevTag === 'E' || prevTag === 'S' || prevTag === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && prevType !== type;
}

/**
 * BIOES (IOBES) tags as BIO: S- becomes B-, E- becomes I-; B-, I- and O stay.
 *
 * @example bioesToBio(['B-song', 'E-song', 'S-singer', 'O']) // ['B-song', 'I-song', 'B-singer', 'O']
 */
export function bioesToBio(tags: readonly string[]): string[] {
  return tags.map((tag, i) => {
    const { prefix, type } = parseTag(tag, i);
    if (prefix === 'O') return 'O';
    return `${prefix === 'S' ? 'B' : prefix === 'E' ? 'I' : prefix}-${type}`;
  });
}

/**
 * BIO tags of `length` tokens carrying `spans` (which must lie inside [0, length) and not overlap).
 *
 * @example spansToBio([{ type: 'color', start: 1, end: 2 }], 3) // ['O', 'B-color', 'O']
 */
export function spansToBio(spans: readonly TagSpan[], length: number): string[] {
  if (!(Number.isInteger(length) && length >= 0)) throw AppError.invalid(`length must be a whole number ≥ 0, got ${length}`, { field: 'length' });
  const tags = new Array<string>(length).fill('O');
  spans.forEach((s, i) => {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= length && s.start < s.end)) {
      throw AppError.invalid(`span ${i} [${s.start}, ${s.end}) is not inside 0..${length} or is empty`, { field: 'spans', index: i });
    }
    if (!s.type || /\s/.test(s.type)) throw AppError.invalid(`span ${i} has no usable type ("${s.type}")`, { field: 'spans', index: i });
    for (let t = s.start; t < s.end; t++) {
      if (tags[t] !== 'O') throw AppError.invalid(`span ${i} (${s.type}) overlaps another span at token ${t}`, { field: 'spans', index: i });
      tags[t] = `${t === s.start ? 'B' : 'I'}-${s.type}`;
    }
  });
  return tags;
}
