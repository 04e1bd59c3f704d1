import { AppError, type ErrorKind } from '../core/errors.js';
import type { EventInput } from '../core/events.js';

export interface ReplayOptions {
  /** Base URL of a running Shopwise server, e.g. `http://127.0.0.1:8080`. Nothing else is contacted. */
  url: string;
  /** API key with the `ingest` scope, sent as `Authorization: Bearer <key>`. */
  key: string;
  /** Workspace the key belongs to; sent as the `X-Workspace-Id` header; the server refuses it (403) when the key belongs to another workspace. */
  workspace?: string;
  events: readonly EventInput[];
  /** Target events per second. */
  rate: number;
  /** Events per request (default: a tenth of a second's worth, 1–1000). */
  batchSize?: number;
  /** Stop after this many seconds even if events remain. */
  durationSeconds?: number;
  /** Suffix of the new message ids (default: from the clock), so a replay is not deduplicated away. */
  runId?: string;
  /** Stops between batches when aborted (Ctrl-C); the result counts what was sent. */
  signal?: AbortSignal;
  onProgress?: (progress: ReplayProgress) => void;
  /** Injected for tests; default global fetch. */
  fetch?: typeof fetch;
  /** Injected for tests; default Date.now. */
  clock?: () => number;
}

export interface ReplayProgress {
  sent: number;
  total: number;
  stored: number;
  seconds: number;
  ratePerSecond: number;
}

export interface ReplayResult {
  sent: number;
  stored: number;
  duplicates: number;
  rejected: number;
  seconds: number;
  ratePerSecond: number;
}

/**
 * Replays events against a running server at a steady rate, as live traffic: batches go to
 * `POST <url>/v1/events/batch` paced so that `rate` events per second are sent on average; each event
 * is re-timed to the moment it is sent (keeping the original order) and gets a new message id
 * (`<original>.<runId>`). Stops when the events are sent, the duration is over or the signal aborts.
 * A 4xx / 5xx answer becomes an AppError carrying the server's message.
 *
 * @example
 * const result = await replayTraffic({ url: 'http://127.0.0.1:8080', key, events: shop.events, rate: 500 });
 * console.log(`${result.sent} events at ${result.ratePerSecond}/s`);
 */
export async function replayTraffic(options: ReplayOptions): Promise<ReplayResult> {
  const { events, rate } = options;
  if (!(rate > 0) || !Number.isFinite(rate)) throw AppError.invalid(`rate must be a positive number of events per second, got ${rate}`, { field: 'rate' });
  const batchSize = options.batchSize ?? Math.min(1000, Math.max(1, Math.round(rate / 10)));
  if (!Number.isInteger(batchSize) || batchSize < 1) throw AppError.invalid(`batchSize must be a positive integer, got ${batchSize}`, { field: 'batchSize' });
  const endpoint = eventsEndpoint(options.url);
  const post = options.fetch ?? fetch;
  const clock = options.clock ?? Date.now;
  const runId = options.runId ?? clock().toString(36);
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${options.key}` };
  if (options.workspace) headers['x-workspace-id'] = options.workspace;

  const started = clock();
  const deadline = options.durationSeconds === undefined ? Infinity : started + options.durationSeconds * 1000;
  const result: ReplayResult = { sent: 0, stored: 0, duplicates: 0, rejected: 0, seconds: 0, ratePerSecond: 0 };
  let lastTimestamp = 0;
  let paceFrom = started;
  let pacedFrom = 0;
  while (result.sent < events.length && !options.signal?.aborted) {
    // Pace: a batch leaves when the previous ones have had their share of time. A server that falls
    // more than a second behind is not flooded afterwards: the schedule restarts from now.
    if (clock() - (paceFrom + ((result.sent - pacedFrom) / rate) * 1000) > 1000) {
      paceFrom = clock();
      pacedFrom = result.sent;
    }
    const due = paceFrom + ((result.sent - pacedFrom) / rate) * 1000;
    if (due >= deadline) break;
    const wait = due - clock();
    if (wait > 0) await sleep(wait, options.signal);
    if (options.signal?.aborted || clock() >= deadline) break;
    const now = clock();
    // Events of one batch share the send time; never earlier than the last batch (order is kept).
    lastTimestamp = Math.max(lastTimestamp, now);
    const stamp = new Date(lastTimestamp).toISOString();
    const batch = events.slice(result.sent, result.sent + batchSize).map((event, i) => {
      return { ...event, timestamp: stamp, messageId: `${event.messageId ?? `replay-${result.sent + i}`}.${runId}` };
    });
    const report = await send(post, endpoint, headers, batch);
    result.sent += batch.length;
    result.stored += report.stored;
    result.duplicates += report.duplicates;
    result.rejected += report.rejected;
    finish(result, started, clock());
    options.onProgress?.({ sent: result.sent, total: events.length, stored: result.stored, seconds: result.seconds, ratePerSecond: result.ratePerSecond });
  }
  // The last batch has its slot of time too, so the achieved rate is measured over whole slots.
  const slotEnd = Math.min(deadline, paceFrom + ((result.sent - pacedFrom) / rate) * 1000);
  if (!options.signal?.aborted && slotEnd - clock() > 0) await sleep(slotEnd - clock(), options.signal);
  return finish(result, started, clock());
}

function finish(result: ReplayResult, started: number, now: number): ReplayResult {
  result.seconds = Math.round(now - started) / 1000;
  result.ratePerSecond = result.seconds > 0 ? Math.round((result.sent / result.seconds) * 10) / 10 : 0;
  return result;
}

function eventsEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw AppError.invalid(`not a URL: ${JSON.stringify(url)} (expected e.g. http://127.0.0.1:8080)`, { field: 'url' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw AppError.invalid(`the replay URL must be http(s), got ${parsed.protocol}`, { field: 'url' });
  return `${url.replace(/\/+$/, '')}/v1/events/batch`;
}

async function send(post: typeof fetch, endpoint: string, headers: Record<string, string>, batch: EventInput[]): Promise<{ stored: number; duplicates: number; rejected: number }> {
  let response: Response;
  try {
    response = await post(endpoint, { method: 'POST', headers, body: JSON.stringify({ batch }) });
  } catch (error) {
    throw AppError.unavailable(`cannot reach ${endpoint}: ${(error as Error).message}`, error);
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    if (response.ok) throw AppError.unavailable(`${endpoint} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const message = typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : text.slice(0, 500) || response.statusText;
    throw new AppError(kindOf(response.status), `the server answered ${response.status} to POST ${endpoint}: ${message}`, { status: response.status, body });
  }
  return { stored: count(body.stored), duplicates: count(body.duplicates), rejected: count(body.rejected) };
}

function kindOf(status: number): ErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too_large';
  if (status >= 500 || status === 429) return 'unavailable';
  return 'invalid';
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
