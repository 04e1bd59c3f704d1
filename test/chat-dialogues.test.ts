import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCatalog } from './helpers/chat-catalog.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// Scripted multi-turn dialogues against the real server: the first turn trains the workspace's NLU
// (generated domain + this catalog), later turns reuse it.
let server: TestServer;
const catalog = chatCatalog();
const byId = new Map(catalog.map((i) => [i.id, i]));
const HAN = /\p{Script=Han}/u;

interface Turn {
  status: number;
  reply: string;
  intent: { name: string; confidence: number };
  slots: Record<string, any>;
  emotion: { label: string };
  products: Array<{ id: string; price: number; brand: string; categoryPath: string[]; color: string | null; sponsored: boolean }>;
  handoff: boolean;
  language: 'zh' | 'en';
  action: string;
  turnId: string;
  cartItemId?: string;
}

async function say(sessionId: string, text: string, userId?: string): Promise<Turn> {
  const r = await server.call('POST', '/v1/chat', { sessionId, text, ...(userId ? { userId } : {}) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { status: r.status, ...r.body };
}

const maxPrice = (t: Turn) => Math.max(...t.products.map((p) => p.price));
const inCategory = (t: Turn, zh: string) => t.products.every((p) => p.categoryPath.includes(zh));

/**
 * "Cheaper" puts every new product under the cheapest one shown before; when the catalog has none (matching
 * the rest of the search), the assistant says those were the cheapest.
 */
function expectCheaper(before: Turn, after: Turn, matches: (item: (typeof catalog)[number]) => boolean): void {
  const lowest = Math.min(...before.products.map((p) => p.price));
  if (!catalog.some((i) => matches(i) && i.price! < lowest)) {
    expect(after.action).toBe('no_results');
    expect(after.products).toHaveLength(0);
    return;
  }
  expect(after.products.length).toBeGreaterThan(0);
  expect(maxPrice(after)).toBeLessThan(lowest);
}

beforeAll(async () => {
  server = await startTestServer();
  const put = await server.call('POST', '/v1/items/batch', { items: catalog });
  expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
  // Train the NLU once for the file (the first chat of a workspace trains it).
  await say('warm-up', '你好');
}, 180_000);
afterAll(async () => server?.close());

describe('shopping dialogues over POST /v1/chat', () => {
  it('zh: slots carry over; blue, cheaper, not this brand and the second one change the results', async () => {
    const s = 'zh-refine';
    expect((await say(s, '你好')).action).toBe('greet');
    const shoes = await say(s, '我想买运动鞋');
    expect(shoes.action).toBe('show_products');
    expect(shoes.language).toBe('zh');
    expect(HAN.test(shoes.reply)).toBe(true);
    expect(inCategory(shoes, '运动鞋')).toBe(true);
    const blue = await say(s, '要蓝色的');
    expect(blue.products.length).toBeGreaterThan(0);
    expect(blue.products.every((p) => p.color === 'blue')).toBe(true);
    expect(inCategory(blue, '运动鞋')).toBe(true);
    const notBrand = await say(s, '不要这个牌子');
    const excluded = blue.products[0]!.brand;
    expect(notBrand.products.length).toBeGreaterThan(0);
    expect(notBrand.products.every((p) => p.brand !== excluded && p.color === 'blue')).toBe(true);
    expect(notBrand.slots.excludedBrands).toContain(excluded);
    const cheaper = await say(s, '便宜点的');
    expectCheaper(notBrand, cheaper, (i) => i.categoryPath!.includes('运动鞋') && i.attributes!.colorEn === 'Blue' && i.brand !== excluded);
    expect(cheaper.products.every((p) => p.color === 'blue' && p.brand !== excluded)).toBe(true);
    expect(cheaper.slots.excludedBrands).toContain(excluded);
    // Nothing cheaper leaves the products shown before in place.
    const shown = cheaper.products.length > 0 ? cheaper : notBrand;
    const second = shown.products[1] ?? shown.products[0]!;
    const ordinal = shown.products[1] ? '第二个' : '第一个';
    const material = await say(s, `${ordinal}是什么材质的`);
    expect(material.action).toBe('answer_attribute');
    expect(material.reply).toContain(String(byId.get(second.id)!.attributes!.material));
    const cart = await say(s, `把${ordinal}加入购物车`);
    expect(cart.action).toBe('confirm_add');
    expect(cart.cartItemId).toBe(second.id);
  }, 60_000);

  it('en: headphones under 500, in white, the first one costs, thanks get a cheerful reply', async () => {
    const s = 'en-headphones';
    expect((await say(s, 'hi there')).language).toBe('en');
    const under = await say(s, 'show me headphones under 500 yuan');
    expect(under.products.length).toBeGreaterThan(0);
    expect(under.products.every((p) => p.price <= 500 && p.categoryPath.includes('耳机'))).toBe(true);
    expect(under.reply).not.toMatch(HAN);
    const white = await say(s, 'in white');
    expect(white.products.length).toBeGreaterThan(0);
    expect(white.products.every((p) => p.color === 'white' && p.price <= 500 && p.categoryPath.includes('耳机'))).toBe(true);
    const price = await say(s, 'how much is the first one');
    expect(price.action).toBe('answer_attribute');
    expect(price.reply).toContain(String(white.products[0]!.price));
    const thanks = await say(s, 'great, thanks a lot!');
    expect(thanks.action).toBe('thank');
    expect(thanks.emotion.label).toBe('positive');
  }, 60_000);

  it('zh: an angry shopper is handed over to a person, apologetically', async () => {
    const s = 'zh-angry';
    await say(s, '你好');
    expect((await say(s, '有没有连衣裙')).products.length).toBeGreaterThan(0);
    const red = await say(s, '要红色的');
    expect(red.products.every((p) => p.color === 'red' && p.categoryPath.includes('连衣裙'))).toBe(true);
    const other = await say(s, '换个牌子');
    expect(other.products.every((p) => p.brand !== red.products[0]!.brand)).toBe(true);
    const angry = await say(s, '这什么破推荐，太差了，我要投诉！');
    expect(angry.handoff).toBe(true);
    expect(angry.emotion.label).toBe('angry');
    expect(angry.reply).toMatch(/抱歉/u);
  }, 60_000);

  it('en: the same unresolved request three times leads to the human hand-off', async () => {
    const s = 'en-stuck';
    await say(s, 'hello');
    const turns = [await say(s, 'do you have unicorn saddles'), await say(s, 'do you have unicorn saddles'), await say(s, 'do you have unicorn saddles')];
    const unresolved = ['ask_slot', 'redirect', 'no_results', 'ask_which'];
    expect(turns.slice(0, 2).map((t) => [t.handoff, unresolved.includes(t.action)])).toEqual([[false, true], [false, true]]);
    expect(turns[2]!.handoff).toBe(true);
    expect(turns[2]!.language).toBe('en');
    const after = await say(s, 'ok, show me novels');
    expect(after.products.every((p) => p.categoryPath.includes('小说'))).toBe(true);
  }, 60_000);

  it('en: asking for a person hands over at once', async () => {
    const s = 'en-human';
    await say(s, 'good morning');
    const novels = await say(s, 'looking for novels');
    expect(inCategory(novels, '小说')).toBe(true);
    const format = await say(s, 'is the second one hardcover');
    expect(format.action).toBe('answer_attribute');
    const hardcover = byId.get(novels.products[1]!.id)!.attributes!.formatEn as string;
    expect(format.reply).toContain(hardcover);
    await say(s, 'add the second one to my cart');
    const human = await say(s, 'i want to talk to a real person');
    expect(human.handoff).toBe(true);
    expect(human.action).toBe('handoff');
  }, 60_000);

  it('zh: an out-of-scope question gets a polite redirect, then shopping goes on', async () => {
    const s = 'zh-oos';
    await say(s, '在吗');
    const weather = await say(s, '今天天气怎么样');
    expect(weather.action).toBe('redirect');
    expect(weather.products).toHaveLength(0);
    expect(HAN.test(weather.reply)).toBe(true);
    const flasks = await say(s, '推荐一款保温杯');
    expect(inCategory(flasks, '保温杯')).toBe(true);
    const cost = await say(s, '第一个多少钱');
    expect(cost.reply).toContain(String(flasks.products[0]!.price));
    expect((await say(s, '好的，再见')).action).toBe('goodbye');
  }, 60_000);

  it('en: an out-of-scope question gets a polite redirect in English', async () => {
    const s = 'en-oos';
    await say(s, 'hey');
    const joke = await say(s, 'tell me a joke');
    expect(joke.action).toBe('redirect');
    expect(joke.reply).not.toMatch(HAN);
    const flights = await say(s, 'book me a flight to paris');
    expect(flights.action).toBe('redirect');
    const dresses = await say(s, 'do you have dresses');
    expect(inCategory(dresses, '连衣裙')).toBe(true);
    expect((await say(s, 'bye')).action).toBe('goodbye');
  }, 60_000);

  it('mixed: "我想要 Yuedong 的 running shoes 300以内" filters brand, category and price, replying in Chinese', async () => {
    const s = 'mixed';
    await say(s, '你好');
    const mixed = await say(s, '我想要 Yuedong 的 running shoes 300以内');
    expect(mixed.language).toBe('zh');
    expect(mixed.products.length).toBeGreaterThan(0);
    expect(mixed.products.every((p) => p.brand === 'Yuedong' && p.price <= 300 && p.categoryPath.includes('跑鞋'))).toBe(true);
    const cheaper = await say(s, 'anything cheaper?');
    expect(cheaper.language).toBe('en');
    expectCheaper(mixed, cheaper, (i) => i.categoryPath!.includes('跑鞋') && i.brand === 'Yuedong' && i.price! <= 300);
    const black = await say(s, '有黑色的吗');
    expect(black.products.every((p) => p.color === 'black' && p.brand === 'Yuedong')).toBe(true);
    expect((await say(s, '谢谢')).emotion.label).toBe('positive');
  }, 60_000);

  it('en: a new category resets the slots it makes incompatible', async () => {
    const s = 'en-reset';
    await say(s, 'hello');
    const shoes = await say(s, 'blue sneakers under 400');
    expect(shoes.products.every((p) => p.color === 'blue' && p.price <= 400)).toBe(true);
    const novels = await say(s, 'actually, show me novels');
    expect(novels.slots.category).toBe('小说');
    expect(novels.slots.priceMax).toBeUndefined();
    expect(novels.slots.color).toBeUndefined();
    expect(inCategory(novels, '小说')).toBe(true);
    expect(novels.products.length).toBeGreaterThan(0);
    const back = await say(s, 'and sneakers in red');
    expect(back.products.every((p) => p.color === 'red' && p.categoryPath.includes('运动鞋'))).toBe(true);
    expect((await say(s, 'thanks')).action).toBe('thank');
  }, 60_000);

  it('zh: compare two items, add one to the cart, and sponsored items are flagged', async () => {
    const s = 'zh-compare';
    const flasks = await say(s, '有没有保温杯', 'shopper-7');
    expect(flasks.products.length).toBeGreaterThan(1);
    const compare = await say(s, '第一个和第二个有什么区别', 'shopper-7');
    expect(compare.action).toBe('compare');
    expect(compare.reply).toContain(byId.get(flasks.products[0]!.id)!.title);
    expect(compare.reply).toContain(byId.get(flasks.products[1]!.id)!.title);
    const cart = await say(s, '就要第一个吧', 'shopper-7');
    expect(cart.cartItemId).toBe(flasks.products[0]!.id);
    const all = await say(s, '看看所有的连衣裙', 'shopper-7');
    for (const p of all.products) expect(p.sponsored).toBe(byId.get(p.id)!.sponsored === true);
    expect((await say(s, '谢谢', 'shopper-7')).action).toBe('thank');
    // The turns were logged: a search with its query and chat messages, for the user.
    for (let i = 0; i < 100; i++) {
      const events = await server.call('GET', '/v1/events?userId=shopper-7&event=Products%20Searched');
      if (events.body.items.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const searched = await server.call('GET', '/v1/events?userId=shopper-7&event=Products%20Searched');
    expect(searched.body.items.map((e: any) => e.properties.query)).toContain('有没有保温杯');
    const messages = await server.call('GET', '/v1/events?userId=shopper-7&event=Chat%20Message');
    expect(messages.body.items.length).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('feedback is logged for a known turn, 404 for an unknown one; bad input is a 400', async () => {
    const turn = await say('feedback', 'show me sneakers');
    const ok = await server.call('POST', '/v1/chat/feedback', { sessionId: 'feedback', turnId: turn.turnId, helpful: true });
    expect(ok.status).toBe(200);
    const unknown = await server.call('POST', '/v1/chat/feedback', { sessionId: 'feedback', turnId: 'nope', helpful: false });
    expect(unknown.status).toBe(404);
    expect(unknown.body.field).toBe('turnId');
    expect((await server.call('POST', '/v1/chat', { sessionId: 'x' })).status).toBe(400);
    expect((await server.call('POST', '/v1/chat', { sessionId: 'bad id!', text: 'hi' })).status).toBe(400);
    const photo = await server.call('POST', '/v1/chat', { sessionId: 'p', image: 'not base64 at all!' });
    expect(photo.status).toBe(400);
    const spec = await server.call('GET', '/openapi.json');
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/v1/chat', '/v1/chat/feedback', '/v1/chat/status']));
    // A long session id still gets its turns logged (event ids stay short).
    const long = 'S'.repeat(128);
    await say(long, 'show me novels', 'long-session-user');
    for (let i = 0; i < 100; i++) {
      if ((await server.call('GET', '/v1/events?userId=long-session-user&event=Chat%20Message')).body.items.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await server.call('GET', '/v1/events?userId=long-session-user&event=Chat%20Message')).body.items).toHaveLength(1);
  }, 60_000);

  it('the NLU and its slot tagger are saved in the data dir: a restarted server loads them instead of training', async () => {
    const status = await server.call('GET', '/v1/chat/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ state: 'ready', source: 'trained', slotTagger: true, retraining: false, report: { slots: { epochs: expect.any(Number) } } });
    expect(existsSync(join(server.services.config.dataDir, 'models', 'nlu', 'demo', 'nlu.json'))).toBe(true);
    const restarted = await startTestServer({ dataDir: server.services.config.dataDir });
    try {
      expect(await restarted.services.nlu.prepare('demo')).toMatchObject({ state: 'ready', source: 'loaded', slotTagger: true, retraining: false });
      const turn = await restarted.call('POST', '/v1/chat', { sessionId: 'restarted', text: '我想买运动鞋' });
      expect(turn.body.action).toBe('show_products');
      expect(turn.body.products.every((p: { categoryPath: string[] }) => p.categoryPath.includes('运动鞋'))).toBe(true);
    } finally {
      await restarted.close();
    }
  }, 60_000);
});
