/** What the event log holds after a crash run, compared with what the clients know. */
export interface LogCheck {
  /** Rows listed by paging GET /v1/events. */
  rows: number;
  /** Distinct messageIds among them. */
  /** Distinct client messageIds in the log (events Shopwise writes itself are in `system`). */
  distinct: number;
  /** Events Shopwise wrote itself (segment membership changes). */
  system: number;
  /** counts.events of GET /v1/workspace. */
  counted: number;
  /** Acknowledged messageIds missing from the log: must be 0. */
  lost: number;
  /** Rows beyond one per messageId, plus any gap between the count and the distinct ids: must be 0. */
  duplicates: number;
  /** Stored messageIds no client ever sent: must be 0. */
  unknown: number;
  /** Acknowledged events fetched one by one (GET /v1/events/:messageId) whose content did not match. */
  sampleMismatches: number;
  sampled: number;
  lostIds: string[];
}

/** Event names only Shopwise itself writes. */
const SYSTEM_EVENTS = new Set(['Segment Entered', 'Segment Exited']);

interface Page {
  items: { messageId: string; event: string }[];
  nextCursor?: string;
}

/**
 * Pages through the whole log over HTTP and checks it against the acknowledged and sent messageIds;
 * spot-checks `sample` acknowledged events through GET /v1/events/:messageId as well.
 */
export async function verifyLog(url: string, key: string, acked: ReadonlyMap<string, string>, sent: ReadonlySet<string>, sample = 100): Promise<LogCheck> {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(url + path, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(60_000) });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const seen = new Map<string, number>();
  // Events Shopwise writes itself (segment membership changes of the built-in segments) are not the clients'.
  const system = new Set<string>();
  let rows = 0;
  let cursor: string | undefined;
  do {
    const page = await get<Page>(`/v1/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const item of page.items) {
      seen.set(item.messageId, (seen.get(item.messageId) ?? 0) + 1);
      if (SYSTEM_EVENTS.has(item.event)) system.add(item.messageId);
    }
    rows += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  const counted = (await get<{ counts: { events: number } }>('/v1/workspace')).counts.events;

  const lostIds = [...acked.keys()].filter((id) => !seen.has(id));
  let unknown = 0;
  for (const id of seen.keys()) if (!sent.has(id) && !system.has(id)) unknown++;

  // Evenly spaced acknowledged ids: deterministic, and spread over every round.
  const ids = [...acked.keys()];
  const step = Math.max(1, Math.floor(ids.length / sample));
  let sampled = 0;
  let sampleMismatches = 0;
  for (let i = 0; i < ids.length && sampled < sample; i += step, sampled++) {
    const event = await get<{ messageId: string; event: string }>(`/v1/events/${encodeURIComponent(ids[i]!)}`).catch(() => undefined);
    if (!event || event.messageId !== ids[i] || event.event !== acked.get(ids[i]!)) sampleMismatches++;
  }
  return {
    rows, distinct: seen.size - system.size, system: system.size, counted, lost: lostIds.length, duplicates: rows - seen.size + Math.abs(counted - seen.size),
    unknown, sampleMismatches, sampled, lostIds: lostIds.slice(0, 20),
  };
}
