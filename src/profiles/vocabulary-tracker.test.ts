import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../core/events.js';
import { SeededRandom } from '../math/random.js';
import { VocabularyTracker } from './vocabulary-tracker.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const MIN = 60_000;

let seq = 0;
function event(over: Partial<StoredEvent> & { at?: number }): StoredEvent {
  const { at = T0, ...rest } = over;
  seq++;
  return {
    seq, workspaceId: 'shop', messageId: `m-${seq}`, type: 'track', event: 'Products Searched', userId: null, anonymousId: null, previousId: null,
    timestamp: at, receivedAt: at, channel: null, properties: {}, traits: {}, context: {}, ...rest,
  };
}
const search = (query: string, at: number, userId = 'u-1') => event({ userId, at, properties: { query } });

/** A shop's everyday searches: earbuds, guitars, running shoes, in English and Chinese. */
const NORMAL = [
  'wireless earbuds', 'bluetooth earbuds', 'earbuds case', 'airpods pro', 'noise cancelling headphones', 'wireless headphones', 'earbuds charging case',
  'acoustic guitar', 'guitar strings', 'electric guitar amp', 'guitar capo', 'guitar tuner',
  'running shoes', 'trail running shoes', 'running socks', 'marathon shoes',
  '无线耳机', '蓝牙耳机 降噪', '耳机 充电盒', '降噪耳机', '吉他 琴弦', '民谣吉他', '跑步鞋 男', '运动鞋 女',
];
/** A product nobody searched for until launch day, in both languages. */
const LAUNCH = ['zorbapods', 'zorbapods wireless earbuds', 'zorbapods earbuds case', 'zorbapods charging case', 'wireless earbuds zorbapods', 'zorbapods pro'];
const LAUNCH_ZH = ['酷芽 无线耳机', '酷芽耳机', '酷芽 蓝牙耳机 降噪', '酷芽 充电盒'];
const EARBUD_WORDS = new Set(['earbuds', 'wireless', 'case', 'charging', 'airpods', 'bluetooth', 'headphones', 'noise', 'cancelling', 'pro']);
const EARBUD_WORDS_ZH = new Set(['无线耳机', '蓝牙', '降噪', '耳机', '充电', '盒', '降噪耳机', '充电盒', '蓝牙耳机']);
const OTHER_WORDS = new Set(['guitar', 'acoustic', 'strings', 'capo', 'tuner', 'amp', 'electric', 'running', 'shoes', 'trail', 'socks', 'marathon', '吉他', '琴弦', '民谣吉他', '跑步鞋', '运动鞋']);

describe('VocabularyTracker: a new word in the stream', () => {
  it('becomes a trending tag within minutes, with neighbours it co-occurs with or shares n-grams with', () => {
    const rng = new SeededRandom(11);
    const traffic = rng.fork('traffic');
    const tracker = new VocabularyTracker({ rng: rng.fork('vocabulary') });
    const user = () => `u-${traffic.int(300)}`;
    // Three hours of ordinary traffic, a search every 5 s.
    let t = T0;
    const launch = T0 + 180 * MIN;
    for (; t < launch; t += 5000) tracker.observe(search(traffic.pick(NORMAL), t, user()));
    expect(tracker.trending('shop')).toEqual([]);

    // Launch: the ordinary traffic goes on, and ~5 searches a minute name the new product.
    for (; t < launch + 10 * MIN; t += 5000) {
      tracker.observe(search(traffic.pick(NORMAL), t, user()));
      if (traffic.next() < 0.4) tracker.observe(search(traffic.pick(LAUNCH), t + 1000, user()));
      if (traffic.next() < 0.25) tracker.observe(search(traffic.pick(LAUNCH_ZH), t + 2000, user()));
    }
    const trending = tracker.trending('shop', { limit: 10 });
    const terms = trending.map((x) => x.term);
    expect(terms).toContain('zorbapods');
    expect(terms).toContain('酷芽');
    // Only the new words: the ordinary words they appear with are not above their usual share.
    expect(terms.every((term) => term === 'zorbapods' || term === '酷芽')).toBe(true);

    const zorba = trending.find((x) => x.term === 'zorbapods')!;
    expect(zorba.firstSeen).toBeGreaterThanOrEqual(launch);
    expect(zorba.count).toBeGreaterThanOrEqual(10);
    expect(zorba.expected).toBe(0); // never seen before: its ratio is its count
    expect(zorba.ratio).toBe(zorba.count);
    const near = zorba.neighbours.map((n) => n.term);
    expect(near).toHaveLength(5);
    // Ten minutes in, the nearest is an earbud word and most of the five are (a guitar word may linger).
    expect(EARBUD_WORDS.has(near[0]!), near.join(', ')).toBe(true);
    expect(near.filter((w) => EARBUD_WORDS.has(w)).length, near.join(', ')).toBeGreaterThanOrEqual(4);
    expect(near.filter((w) => OTHER_WORDS.has(w)).length, near.join(', ')).toBeLessThanOrEqual(1);

    const kuya = trending.find((x) => x.term === '酷芽')!;
    const nearZh = kuya.neighbours.map((n) => n.term);
    expect(EARBUD_WORDS_ZH.has(nearZh[0]!), nearZh.join(', ')).toBe(true);
    expect(nearZh.filter((w) => EARBUD_WORDS_ZH.has(w)).length, nearZh.join(', ')).toBeGreaterThanOrEqual(3);

    // Both were promoted to tags of the shop when event time entered a new 5-minute bucket.
    const tags = tracker.tags('shop');
    expect(tags.map((x) => x.term).sort()).toEqual(['zorbapods', '酷芽']);
    expect(tags.every((x) => x.since > launch && x.since <= launch + 10 * MIN)).toBe(true);
  });

  it('is trending by the second minute, before its neighbours have settled', () => {
    const rng = new SeededRandom(12);
    const traffic = rng.fork('traffic');
    const tracker = new VocabularyTracker({ rng: rng.fork('vocabulary') });
    let t = T0;
    const launch = T0 + 120 * MIN;
    for (; t < launch; t += 5000) tracker.observe(search(traffic.pick(NORMAL), t));
    let minute = 0;
    for (; t < launch + 15 * MIN && minute === 0; t += 5000) {
      tracker.observe(search(traffic.pick(NORMAL), t));
      tracker.observe(search(traffic.pick(LAUNCH), t + 1000));
      if (tracker.trending('shop').some((x) => x.term === 'zorbapods')) minute = Math.ceil((t + 1000 - launch) / MIN);
    }
    expect(minute).toBeGreaterThan(0);
    expect(minute).toBeLessThanOrEqual(2); // 10 occurrences at 12 a minute
  });
});

describe('VocabularyTracker: keywords', () => {
  it('gives each user their keywords against the shop background, from searches, reviews and items', () => {
    const tracker = new VocabularyTracker({ rng: new SeededRandom(1) });
    tracker.observeItem('shop', { id: 'p1', title: 'Sony WH-1000XM5 降噪耳机', tags: ['noise cancelling'], brand: 'Sony' });
    tracker.observeItem('shop', { id: 'p2', title: 'Yamaha acoustic guitar', description: 'Spruce top, rosewood back. Great guitar for beginners.' });
    for (let i = 0; i < 30; i++) tracker.observe(search(i % 2 ? 'guitar strings' : 'running shoes', T0 + i * 1000, `other-${i}`));
    tracker.observe(search('guitar 琴弦', T0 + 60_000, 'u-1'));
    tracker.observe(search('降噪耳机 sony', T0 + 61_000, 'u-1'));
    tracker.observe(event({ event: 'Review Submitted', userId: 'u-1', at: T0 + 62_000, properties: { productId: 'p1', rating: 5, text: '降噪效果很好，音质清楚' } }));
    for (let i = 0; i < 4; i++) tracker.observe(event({ event: 'Product Viewed', userId: 'u-1', at: T0 + 63_000 + i, properties: { productId: 'p1' } }));
    const keywords = tracker.userKeywords('shop', 'u-1', { limit: 5 });
    const terms = keywords.map((k) => k.term);
    expect(terms[0]).toBe('sony'); // searched once and viewed four times (0.25 each): 2
    expect(terms).toContain('降噪');
    expect(terms).not.toContain('guitar'); // the shop's most common search word
    expect(keywords[0]!.count).toBeCloseTo(2, 6);
    expect(tracker.userKeywords('shop', 'nobody')).toEqual([]);
  });

  it('moves a visitor’s keywords to the user on identify, and keeps none for users who declined personalization', () => {
    const tracker = new VocabularyTracker({ rng: new SeededRandom(2) });
    tracker.observe(event({ anonymousId: 'anon-1', properties: { query: 'trail running shoes' } }));
    tracker.observe(event({ type: 'identify', event: 'identify', userId: 'u-9', anonymousId: 'anon-1', at: T0 + 1000 }));
    expect(tracker.userKeywords('shop', 'anon-1')).toEqual([]);
    expect(tracker.userKeywords('shop', 'u-9').map((k) => k.term).sort()).toEqual(['running', 'shoes', 'trail']);

        tracker.observe(event({ userId: 'u-restricted', at: T0 + 3000, properties: { query: 'zorbapods case' } }), { personal: false });
    expect(tracker.userKeywords('shop', 'u-restricted')).toEqual([]);
    // … but the search still counts for the shop.
    expect(tracker.stats('shop')!.documents).toBe(2);
  });

  it('keeps workspaces apart', () => {
    const tracker = new VocabularyTracker({ rng: new SeededRandom(3) });
    tracker.observe(search('guitar', T0, 'u-1'));
    tracker.observe({ ...search('earbuds', T0, 'u-1'), workspaceId: 'other' });
    expect(tracker.userKeywords('shop', 'u-1').map((k) => k.term)).toEqual(['guitar']);
    expect(tracker.userKeywords('other', 'u-1').map((k) => k.term)).toEqual(['earbuds']);
    expect(tracker.trending('missing')).toEqual([]);
  });
});

describe('VocabularyTracker.follow', () => {
  it('observes what the profile processor applies: restricted users count for the shop only, untracked users not at all', async () => {
    const { EventMaker, testProcessor } = await import('./profile-fixtures.js');
    const processor = testProcessor({
      consents: new Map([['u-restricted', { personalization: false }], ['u-untracked', { analytics: false }]]),
    });
    const tracker = new VocabularyTracker({ rng: new SeededRandom(4) });
    const stop = tracker.follow(processor);
    const m = new EventMaker();
    await processor.process([
      m.track({ userId: 'u-full' }, 'Products Searched', { query: '降噪耳机 sony' }),
      m.track({ userId: 'u-restricted' }, 'Products Searched', { query: 'guitar capo' }),
      m.track({ userId: 'u-untracked' }, 'Products Searched', { query: 'secret words' }),
    ]);
    expect(tracker.userKeywords('shop', 'u-full').map((k) => k.term).sort()).toEqual(['sony', '耳机', '降噪']);
    expect(tracker.userKeywords('shop', 'u-restricted')).toEqual([]);
    expect(tracker.stats('shop')!.documents).toBe(2);
    expect(tracker.embedding('shop').has('secret')).toBe(false);
    stop();
    await processor.process([m.track({ userId: 'u-full' }, 'Products Searched', { query: 'after stop' })]);
    expect(tracker.stats('shop')!.documents).toBe(2);
  });
});
