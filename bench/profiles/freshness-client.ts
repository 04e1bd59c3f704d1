// The client side of the HTTP freshness benchmark (freshness-http.ts starts it as a child process, so
// the load generator does not share the server's event loop, as real clients do not):
//   node bin/run-ts.js bench/profiles/freshness-client.ts URL KEY EVENTS.jsonl RATE SECONDS PROBES_PER_SECOND PRODUCT_ID WARMUP_SECONDS
// Sends the events at RATE/s as POST /v1/events/batch (batches of 1–20, ticks of 10 ms) and, after
// WARMUP_SECONDS of that load (a running server's caches are warm: catalog items, consents, the
// tokenizer's dictionary), PROBES_PER_SECOND probe views by new users for SECONDS; after each probe's 200 it polls GET /v1/users/:id/profile
// until the profile is there. Prints one JSON line: { sent, seconds, rejected, latencies, unseen }.
import { readFileSync } from 'node:fs';

const [url, key, eventsFile, rateArg, secondsArg, probesArg, productId, warmupArg] = process.argv.slice(2);
if (!url || !key || !eventsFile || !productId) {
  console.error('usage: freshness-client.ts URL KEY EVENTS.jsonl RATE SECONDS PROBES_PER_SECOND PRODUCT_ID WARMUP_SECONDS');
  process.exit(2);
}
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const events = readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function sendLoad(onRejected: (n: number) => void): Promise<number> {
  const perTick = rate / 100;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let sent = 0;
  for (let tick = 0; sent < events.length; tick++) {
    const due = Math.min(events.length, Math.round((tick + 1) * perTick));
    while (sent < due) {
      const n = Math.min(due - sent, 1 + (sent % 20));
      const batch = events.slice(sent, sent + n);
      sent += n;
      pending.push(fetch(`${url}/v1/events/batch`, { method: 'POST', headers, body: JSON.stringify({ batch }) }).then(async (r) => {
        const body = (await r.json()) as { rejected?: number };
        if (r.status !== 200) throw new Error(`load batch → ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
        if (body.rejected) onRejected(body.rejected);
      }));
    }
    await sleep(started + (tick + 1) * 10 - performance.now());
  }
  await Promise.all(pending);
  return (performance.now() - started) / 1000;
}

/** ms from the probe's 200 to the first GET that finds its profile; null when not within 10 s. */
async function probe(userId: string): Promise<number | null> {
  const event = { type: 'track', event: 'Product Viewed', userId, properties: { productId }, timestamp: new Date().toISOString() };
  const ack = await fetch(`${url}/v1/events`, { method: 'POST', headers, body: JSON.stringify(event) });
  if (ack.status !== 200) throw new Error(`probe rejected: ${ack.status} ${await ack.text()}`);
  await ack.arrayBuffer();
  const acked = performance.now();
  while (performance.now() - acked < 10_000) {
    const r = await fetch(`${url}/v1/users/${userId}/profile`, { headers });
    await r.arrayBuffer();
    if (r.status === 200) return performance.now() - acked;
    if (r.status !== 404) throw new Error(`GET profile → ${r.status}`);
    await sleep(1);
  }
  return null;
}

let rejected = 0;
const load = sendLoad((n) => (rejected += n));
const latencies: number[] = [];
let unseen = 0;
const probes: Promise<void>[] = [];
const interval = 1000 / Number(probesArg);
await sleep(Number(warmupArg ?? 0) * 1000);
const started = performance.now();
for (let p = 0; performance.now() - started < seconds * 1000; p++) {
  probes.push(probe(`probe-${p}`).then((ms) => {
    if (ms === null) unseen++;
    else latencies.push(ms);
  }));
  await sleep(started + (p + 1) * interval - performance.now());
}
const loadSeconds = await load;
await Promise.all(probes);
console.log(JSON.stringify({ sent: events.length, seconds: loadSeconds, rejected, latencies, unseen }));
