// Chat benchmark: latency of POST /v1/chat for text turns on a demo-like catalog.
//   node bin/run-ts.js bench/chat.ts [--items 3000] [--sessions 300] [--concurrency 1,8] [--warmup 100] [--transcript]
// Starts the real server in process on a loopback port (SQLite in a temp dir), fills the demo shop's
// catalog, sends one turn to train the workspace's NLU (its time is printed), warms up, then runs
// scripted zh / en / mixed dialogues over many sessions, `concurrency` sessions at a time (each
// session's turns in order; one run per concurrency given), and prints p50 / p90 / p99 / max latency
// and requests per second, next to GET /health/live (the cheapest route) measured in
// the same run. The load generator shares the server's process, so figures include it.
// Prints figures, never asserts on time (DESIGN.md, bench/).
import { parseArgs } from 'node:util';
import { SeededRandom } from '../src/math/random.js';
import { generateCatalog } from '../src/simulate/catalog.js';
import { startTestServer } from '../test/helpers/test-server.js';
import { PROBES } from './chat/probe-utterances.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '3000' },
    sessions: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '1,8' },
    warmup: { type: 'string', default: '100' },
    transcript: { type: 'boolean', default: false },
  },
});

/** Dialogues the shoppers follow; each session takes one, in order. */
const SCRIPTS: string[][] = [
  ['你好', '我想买运动鞋', '要蓝色的', '便宜点的', '第二个是什么材质的', '把第二个加入购物车', '谢谢'],
  ['hi', 'show me headphones under 500 yuan', 'in black', 'anything cheaper?', 'how much is the first one', 'thanks'],
  ['有没有300元以内的连衣裙', '要红色的', '不要这个牌子', '第一个和第二个有什么区别', '再见'],
  ['我想要 Yuedong 的 running shoes 500以内', '有黑色的吗', '第三个有货吗', '就要第三个吧'],
  ['looking for a smartwatch', 'not this brand', 'the second one', 'what brand is the second one', 'bye'],
  ['今天天气怎么样', '那推荐一款保温杯', '第一个多少钱', '我要退货', '订单号 SW123456'],
  ['where is my order', 'order SW778899', 'this is useless, i want a human'],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const items = Number(values.items);
  const sessions = Number(values.sessions);
  const levels = values.concurrency.split(',').map(Number);
  const server = await startTestServer();
  try {
    const catalog = generateCatalog(new SeededRandom(42).fork('catalog'), items, Date.UTC(2026, 9, 2), 30);
    await server.services.storage.items.upsert('demo', catalog.items, Date.now());
    const post = async (sessionId: string, text: string) => {
      const started = performance.now();
      const r = await server.call('POST', '/v1/chat', { sessionId, text });
      const ms = performance.now() - started;
      if (r.status !== 200) throw new Error(`POST /v1/chat → ${r.status}: ${JSON.stringify(r.body)}`);
      return { ms, body: r.body };
    };
    const first = await post('bench-train', '你好');
    console.log(`catalog: ${items} items; first turn (trains the NLU of the workspace): ${(first.ms / 1000).toFixed(1)} s`);
    const nlu = await server.services.chat.parser('demo');
    let right = 0;
    const misses: string[] = [];
    for (const [text, intent] of PROBES) {
      const r = await nlu.parse(text);
      const got = r.outOfScope ? 'out_of_scope' : r.intent.name;
      if (got === intent) right++;
      else misses.push(`${text} → ${got} (want ${intent})`);
    }
    console.log(`intent accuracy on ${PROBES.length} hand-written probe utterances (bench/chat/probe-utterances.ts): ${((100 * right) / PROBES.length).toFixed(1)}%`);
    if (values.transcript) for (const m of misses) console.log(`  miss: ${m}`);
    for (let i = 0; i < Number(values.warmup); i++) {
      const script = SCRIPTS[i % SCRIPTS.length]!;
      await post(`warm-${Math.floor(i / script.length)}`, script[i % script.length]!);
    }
    if (values.transcript) {
      for (const [k, script] of SCRIPTS.entries()) {
        console.log(`\n— dialogue ${k + 1}`);
        for (const text of script) {
          const { body } = await post(`transcript-${k}`, text);
          console.log(`> ${text}\n  [${body.intent.name} ${body.intent.confidence.toFixed(2)} | ${body.emotion.label} | ${body.action}${body.handoff ? ' | HANDOFF' : ''}]\n  ${body.reply.replace(/\n/gu, '\n  ')}`);
        }
      }
      console.log('');
    }
    // The same server's cheapest route, for a ratio that survives a busy machine.
    const base: number[] = [];
    for (let i = 0; i < 500; i++) {
      const started = performance.now();
      await server.call('GET', '/health/live', undefined, null);
      base.push(performance.now() - started);
    }
    base.sort((a, b) => a - b);
    console.log(`peer: GET /health/live, 500 requests, 1 concurrent: p50 ${percentile(base, 50).toFixed(1)} ms  p99 ${percentile(base, 99).toFixed(1)} ms`);
    for (const [run, concurrency] of levels.entries()) {
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        for (let s = next++; s < sessions; s = next++) {
          const script = SCRIPTS[s % SCRIPTS.length]!;
          for (const text of script) latencies.push((await post(`r${run}-s-${s}`, text)).ms);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const f = (ms: number) => `${ms.toFixed(1)} ms`;
      console.log(`POST /v1/chat, text turns: ${latencies.length} requests over ${sessions} sessions, ${concurrency} concurrent, in process on loopback`);
      console.log(`  p50 ${f(percentile(latencies, 50))}  p90 ${f(percentile(latencies, 90))}  p99 ${f(percentile(latencies, 99))}  max ${f(latencies[latencies.length - 1]!)}  ${(latencies.length / seconds).toFixed(0)} requests/s  (goal: p99 ≤ 30 ms)`);
      if (concurrency === 1) console.log(`  chat / GET /health/live: p50 ${(percentile(latencies, 50) / percentile(base, 50)).toFixed(1)}×, p99 ${(percentile(latencies, 99) / percentile(base, 99)).toFixed(1)}×`);
    }
  } finally {
    await server.close();
  }
}

await main();
