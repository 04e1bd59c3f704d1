import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventInput } from '../core/events.js';
import { replayTraffic } from './replay.js';
import { generateShop } from './shop.js';

interface Received {
  at: number;
  url: string;
  headers: IncomingMessage['headers'];
  batch: EventInput[];
}

const events = generateShop({ seed: 11, users: 60, items: 100, days: 5 }).events;

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A tiny stand-in for the events endpoint on 127.0.0.1, recording what it receives. */
async function startServer(answer: (batch: EventInput[], res: ServerResponse) => void = ok): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch: EventInput[] };
      received.push({ at: Date.now(), url: `${req.method} ${req.url}`, headers: req.headers, batch: body.batch });
      answer(body.batch, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, received };
}

function ok(batch: EventInput[], res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ stored: batch.length - 1, duplicates: 1, rejected: 0, results: [] }));
}

describe('replayTraffic', () => {
  it('posts well-formed batches at about the given rate, re-timed to now with new message ids', async () => {
    const { url, received } = await startServer();
    const slice = events.slice(0, 300);
    const progress: number[] = [];
    const before = Date.now();
    const result = await replayTraffic({ url, key: 'sw_test_key_123456789', workspace: 'demo', events: slice, rate: 1000, batchSize: 50, runId: 'r1', onProgress: (p) => progress.push(p.sent) });
    expect(result).toMatchObject({ sent: 300, stored: 294, duplicates: 6, rejected: 0 });
    // 6 batches, one every 50 ms: the last leaves at ~250 ms and has its slot until ~300 ms.
    expect(result.seconds).toBeGreaterThanOrEqual(0.29);
    expect(result.ratePerSecond).toBeLessThanOrEqual(1050);
    expect(progress).toEqual([50, 100, 150, 200, 250, 300]);
    expect(received).toHaveLength(6);
    for (const r of received) {
      expect(r.url).toBe('POST /v1/events/batch');
      expect(r.headers.authorization).toBe('Bearer sw_test_key_123456789');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-workspace-id']).toBe('demo');
      expect(r.batch).toHaveLength(50);
    }
    // Paced, not a burst (a burst spans ~0 ms; 250 ms is the nominal span; timers jitter on a loaded machine).
    expect(received[5]!.at - received[0]!.at).toBeGreaterThanOrEqual(125);
    const sent = received.flatMap((r) => r.batch);
    expect(sent.map((e) => e.messageId)).toEqual(slice.map((e) => `${e.messageId}.r1`));
    expect(sent.map((e) => ({ ...e, timestamp: 0, messageId: '' }))).toEqual(slice.map((e) => ({ ...e, timestamp: 0, messageId: '' })));
    const times = sent.map((e) => Date.parse(e.timestamp as string));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(times[0]!).toBeGreaterThanOrEqual(before);
    expect(times[times.length - 1]!).toBeLessThanOrEqual(Date.now());
  });

  it('stops when the duration is over', async () => {
    const { url, received } = await startServer();
    const result = await replayTraffic({ url, key: 'k', events, rate: 200, batchSize: 10, durationSeconds: 0.3 });
    // 200/s for 0.3 s: about 60 events (batches leave at 0, 50, …, 250 ms).
    expect(result.sent).toBeGreaterThanOrEqual(40);
    expect(result.sent).toBeLessThanOrEqual(70);
    expect(received.flatMap((r) => r.batch)).toHaveLength(result.sent);
  });

  it('does not flood a server that fell behind: the pace restarts after a stall', async () => {
    let calls = 0;
    const { url, received } = await startServer((batch, res) => {
      if (calls++ === 0) setTimeout(() => ok(batch, res), 1300);
      else ok(batch, res);
    });
    await replayTraffic({ url, key: 'k', events: events.slice(0, 40), rate: 100, batchSize: 10 });
    const gaps = received.slice(2).map((r, i) => r.at - received[i + 1]!.at);
    expect(gaps).toHaveLength(2);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(60);
  });

  it('stops between batches when aborted', async () => {
    const { url } = await startServer();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 120);
    const result = await replayTraffic({ url, key: 'k', events, rate: 100, batchSize: 5, signal: controller.signal });
    expect(result.sent).toBeGreaterThan(0);
    expect(result.sent).toBeLessThan(30);
  });

  it('surfaces 4xx and 5xx answers with the server message', async () => {
    const { url } = await startServer((_batch, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unauthorized', message: 'the API key is unknown or revoked' }));
    });
    await expect(replayTraffic({ url, key: 'bad', events, rate: 1000 })).rejects.toMatchObject({
      kind: 'unauthorized', message: expect.stringMatching(/401.*the API key is unknown or revoked/),
    });
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const failing = await startServer((_batch, res) => {
      res.writeHead(503);
      res.end('storage is down');
    });
    await expect(replayTraffic({ url: failing.url, key: 'k', events, rate: 1000 })).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/503.*storage is down/) });
  });

  it('fails clearly on a bad URL, an unreachable server or a bad rate', async () => {
    await expect(replayTraffic({ url: 'not a url', key: 'k', events, rate: 10 })).rejects.toThrow(/not a URL/);
    await expect(replayTraffic({ url: 'ftp://127.0.0.1', key: 'k', events, rate: 10 })).rejects.toThrow(/http\(s\)/);
    await expect(replayTraffic({ url: 'http://127.0.0.1:1', key: 'k', events, rate: 10 })).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/cannot reach/) });
    await expect(replayTraffic({ url: 'http://127.0.0.1:1', key: 'k', events, rate: 0 })).rejects.toThrow(/rate must be/);
  });
});
