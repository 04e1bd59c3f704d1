import { AppError } from '../../core/errors.js';

export interface MemberPage {
  items: string[];
  nextCursor?: string;
  /** Members in all. */
  total: number;
}

/**
 * One page of a member set in id order, after `cursor` (the last id of the previous page, base64url).
 * The set is scanned once keeping the `limit` smallest ids above the cursor, so a page of a million
 * members costs one pass, not a sort.
 *
 * @example pageMembers(segment.members, undefined, 100)
 */
export function pageMembers(members: ReadonlySet<string>, cursor: string | undefined, limit: number): MemberPage {
  const after = cursor === undefined ? undefined : decode(cursor);
  const page: string[] = [];
  for (const id of members) {
    if (after !== undefined && id <= after) continue;
    if (page.length === limit + 1 && id >= page[limit]!) continue;
    let lo = 0;
    let hi = page.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (page[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    page.splice(lo, 0, id);
    if (page.length > limit + 1) page.pop();
  }
  const more = page.length > limit;
  const items = page.slice(0, limit);
  return more ? { items, nextCursor: Buffer.from(items[items.length - 1]!).toString('base64url'), total: members.size } : { items, total: members.size };
}

function decode(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (text === '' || Buffer.from(text).toString('base64url') !== cursor) throw AppError.invalid('cursor is not one this server returned', { field: 'cursor' });
  return text;
}
