import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventFactory, mulberry32 } from './event-factory.js';
import { type ServerProcess, startShopwise } from './server-process.js';
import { type LogCheck, verifyLog } from './verify-log.js';

export interface CrashOptions {
  /** SIGKILLs during ingest; the server is restarted on the same data dir after each. */
  kills: number;
  /** Concurrent clients, each sending one request at a time (default 8). */
  clients?: number;
  /** Each round acknowledges at least this many requests before the kill timer starts (default 20). */
  minAcksPerRound?: number;
  /** The kill comes a random 0..maxKillDelayMs after that (default 1500). */
  maxKillDelayMs?: number;
  /** Share of the requests that died with the server that a client sends again after the restart (default 0.5). */
  retryShare?: number;
  /** Share of new requests that re-send an already acknowledged event (a client that lost its own record; default 0.01). */
  resendShare?: number;
  seed?: number;
  /** Data dir to use (must be empty); default a fresh temp dir, removed afterwards. */
  dataDir?: string;
  log?: (line: string) => void;
}

export interface RoundReport {
  round: number;
  ackedRequests: number;
  ackedEvents: number;
  /** Requests (and their events) sent but not answered when the server was killed. */
  inFlightRequests: number;
  inFlightEvents: number;
  /** Of those, the ones that got no answer (the rest were answered from the socket buffers before the kill). */
  deadRequests: number;
  deadEvents: number;
  /** Requests of the previous round re-sent in this round, and how many of their events were already committed. */
  retriedRequests: number;
  retriedFoundCommitted: number;
  restartMs: number;
}

export interface CrashReport extends LogCheck {
  kills: number;
  rounds: RoundReport[];
  /** Distinct messageIds acknowledged with a 2xx. */
  acknowledged: number;
  /** Distinct messageIds ever sent (acknowledged or possibly stored). */
  sent: number;
  /** Requests that failed while the server was up (network error or non-2xx): must be 0. */
  unexpectedErrors: number;
  /** First sends answered `duplicate`, or re-sends of acknowledged events answered `stored`: must be 0. */
  wrongStatuses: number;
  resentAcked: number;
  errorSamples: string[];
}

interface Request {
  path: '/v1/events' | '/v1/events/batch';
  body: string;
  ids: string[];
  /** The stored `event` field expected for each id (checked on a sample). */
  names: string[];
  /** new: `duplicate` would be wrong; retry: either answer is right; resend (of an acknowledged event): must be `duplicate`. */
  kind: 'new' | 'retry' | 'resend';
  events: number;
}

const ADMIN_KEY = 'sw_crash_admin_key_0123456789abcdef';

/**
 * The crash test: concurrent clients ingest single events and small batches while the server is
 * SIGKILLed `kills` times and restarted on the same SQLite file; clients retry some of the requests that
 * died (same messageIds, at-least-once delivery). Then the whole log is read back over HTTP: every
 * acknowledged event must be there (0 lost) and each messageId at most once (0 duplicates).
 *
 * @example const report = await runCrashTest({ kills: 3 }); // report.lost === 0 && report.duplicates === 0
 */
export async function runCrashTest(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => {});
  const random = mulberry32(options.seed ?? 7);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'shopwise-crash-'));
  const factory = new EventFactory({ seed: options.seed ?? 7, prefix: `crash-${Date.now().toString(36)}`, users: 500, products: 300 });
  const acked = new Map<string, string>();
  const sent = new Set<string>();
  const died: Request[] = [];
  const retryQueue: Request[] = [];
  const ackedSingles: Request[] = [];
  const rounds: RoundReport[] = [];
  const errorSamples: string[] = [];
  let unexpectedErrors = 0;
  let wrongStatuses = 0;
  let resentAcked = 0;
  let server: ServerProcess | undefined;
  let round: RoundReport = newRound(1, 0);
  // Clients send only while `up`; `killing` makes the errors that follow a kill expected.
  let up = false;
  let killing = false;
  let stopped = false;
  const inFlight = new Set<Request>();
  let release: () => void = () => {};
  let gate = new Promise<void>((r) => (release = r));

  const nextRequest = (): Request => {
    const retry = retryQueue.shift();
    if (retry) return retry;
    if (ackedSingles.length > 0 && random() < (options.resendShare ?? 0.01)) {
      resentAcked++;
      return { ...ackedSingles[Math.floor(random() * ackedSingles.length)]!, kind: 'resend' };
    }
    const count = random() < 0.6 ? 1 : 2 + Math.floor(random() * 49);
    const events = Array.from({ length: count }, () => factory.next());
    const ids = events.map((e) => e.messageId as string);
    for (const id of ids) sent.add(id);
    const names = events.map((e) => (e.type === 'track' ? e.event : e.type === 'page' ? e.name : e.type) as string);
    return count === 1
      ? { path: '/v1/events', body: JSON.stringify(events[0]), ids, names, kind: 'new', events: 1 }
      : { path: '/v1/events/batch', body: JSON.stringify({ batch: events }), ids, names, kind: 'new', events: count };
  };

  const send = async (request: Request, url: string): Promise<void> => {
    inFlight.add(request);
    try {
      const response = await fetch(url + request.path, {
        method: 'POST', body: request.body, signal: AbortSignal.timeout(60_000),
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
      const duplicates = statusesOf(request, JSON.parse(text)).filter((s) => s === 'duplicate').length;
      request.ids.forEach((id, i) => acked.set(id, request.names[i]!));
      round.ackedRequests++;
      round.ackedEvents += request.events;
      if (request.kind === 'new' && duplicates > 0) wrongStatuses++;
      if (request.kind === 'resend' && duplicates !== request.events) wrongStatuses++;
      if (request.kind === 'retry') round.retriedFoundCommitted += duplicates;
      // A bounded pool of acknowledged single events that a client may send again.
      if (request.kind === 'new' && request.events === 1) ackedSingles[ackedSingles.length < 1000 ? ackedSingles.length : Math.floor(random() * 1000)] = request;
    } catch (error) {
      if (!killing) {
        unexpectedErrors++;
        if (errorSamples.length < 5) errorSamples.push(`${request.path}: ${describe(error)}`);
      }
      if (request.kind !== 'resend') died.push(request);
    } finally {
      inFlight.delete(request);
    }
  };

  const client = async (): Promise<void> => {
    while (!stopped) {
      if (!up) {
        await gate;
        continue;
      }
      await send(nextRequest(), server!.url);
    }
  };

  const waitFor = async (what: string, condition: () => boolean, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`crash test: timed out waiting for ${what}`);
      await sleep(10);
    }
  };
  const open = () => {
    up = true;
    killing = false;
    release();
  };

  const clients: Promise<void>[] = [];
  try {
    let started = Date.now();
    server = await startShopwise({ dataDir, adminKey: ADMIN_KEY });
    round.restartMs = Date.now() - started;
    open();
    for (let i = 0; i < (options.clients ?? 8); i++) clients.push(client());
    for (let k = 1; k <= options.kills; k++) {
      await waitFor(`${options.minAcksPerRound ?? 20} acknowledged requests in round ${k}`, () => round.ackedRequests >= (options.minAcksPerRound ?? 20) || unexpectedErrors > 0);
      if (unexpectedErrors > 0) throw new Error(`requests failed while the server was up: ${errorSamples.join('; ')}`);
      await sleep(random() * (options.maxKillDelayMs ?? 1500));
      killing = true;
      up = false;
      gate = new Promise<void>((r) => (release = r));
      round.inFlightRequests = inFlight.size;
      round.inFlightEvents = [...inFlight].reduce((n, r) => n + r.events, 0);
      await server.kill();
      await waitFor('the requests that were in flight to fail', () => inFlight.size === 0);
      round.deadRequests = died.length;
      round.deadEvents = died.reduce((n, r) => n + r.events, 0);
      rounds.push(round);
      log(formatRound(round));
      started = Date.now();
      server = await startShopwise({ dataDir, adminKey: ADMIN_KEY });
      round = newRound(k + 1, Date.now() - started);
      // A client with at-least-once delivery re-sends what was not acknowledged; here some clients do, others give up.
      for (const request of died.splice(0)) {
        if (random() < (options.retryShare ?? 0.5)) {
          retryQueue.push({ ...request, kind: 'retry' });
          round.retriedRequests++;
        }
      }
      open();
    }
    // The last round runs until its retries are through and some new traffic was acknowledged.
    await waitFor('the last round', () => (retryQueue.length === 0 && round.ackedRequests >= (options.minAcksPerRound ?? 20)) || unexpectedErrors > 0);
    stopped = true;
    await Promise.all(clients);
    rounds.push(round);
    log(formatRound(round).replace(/; at the kill.*/, '; last round: no kill'));
    const check = await verifyLog(server.url, ADMIN_KEY, acked, sent);
    return {
      ...check, kills: options.kills, rounds, acknowledged: acked.size, sent: sent.size, unexpectedErrors, wrongStatuses, resentAcked, errorSamples,
    };
  } finally {
    stopped = true;
    up = false;
    release();
    await server?.kill();
    await Promise.allSettled(clients);
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The status of each event of a request from its 2xx body; throws when an event was rejected. */
function statusesOf(request: Request, body: any): string[] {
  if (request.path === '/v1/events') return [String(body.status)];
  if (body.rejected !== 0) throw new Error(`batch rejected ${body.rejected} events: ${JSON.stringify(body.results.find((r: any) => r.status === 'rejected'))}`);
  return (body.results as { status: string }[]).map((r) => r.status);
}

function newRound(round: number, restartMs: number): RoundReport {
  return { round, ackedRequests: 0, ackedEvents: 0, inFlightRequests: 0, inFlightEvents: 0, deadRequests: 0, deadEvents: 0, retriedRequests: 0, retriedFoundCommitted: 0, restartMs };
}

export function formatRound(r: RoundReport): string {
  const pad = (n: number, width: number) => String(n).padStart(width);
  return `round ${pad(r.round, 2)}: up in ${r.restartMs} ms; re-sent ${pad(r.retriedRequests, 2)} requests that had died (${pad(r.retriedFoundCommitted, 2)} events of them were already committed); ` +
    `acked ${pad(r.ackedRequests, 5)} requests (${pad(r.ackedEvents, 6)} events); ` +
    `at the kill ${pad(r.inFlightRequests, 2)} requests (${pad(r.inFlightEvents, 3)} events) in flight, ${pad(r.deadRequests, 2)} (${pad(r.deadEvents, 3)} events) never answered`;
}

function describe(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  return e.cause ? `${e.message} (${e.cause.code ?? e.cause.message})` : e.message;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
