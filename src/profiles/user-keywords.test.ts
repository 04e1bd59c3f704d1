import { describe, expect, it } from 'vitest';
import { DAY_MS } from './decay.js';
import { UserKeywordBags } from './user-keywords.js';

const T0 = Date.UTC(2026, 0, 5);

describe('UserKeywordBags', () => {
  it('adds weights and halves them every half-life', () => {
    const bags = new UserKeywordBags({ halfLifeMs: 10 * DAY_MS });
    bags.add('u', ['earbuds', 'earbuds', 'case'], 1, T0);
    bags.add('u', ['earbuds'], 2, T0 + 10 * DAY_MS);
    const bag = bags.bag('u', T0 + 20 * DAY_MS);
    expect(bag.get('earbuds')).toBeCloseTo(2 / 4 + 2 / 2, 6);
    expect(bag.get('case')).toBeCloseTo(1 / 4, 6);
  });

  it('stays exact over many half-lives (the reference time moves forward)', () => {
    const bags = new UserKeywordBags({ halfLifeMs: DAY_MS });
    for (let d = 0; d <= 100; d++) bags.add('u', ['daily'], 1, T0 + d * DAY_MS);
    // Σ 2^-k for k = 0…100 → 2
    expect(bags.bag('u', T0 + 100 * DAY_MS).get('daily')).toBeCloseTo(2, 5);
  });

  it('keeps the heavy hitters when full: a new term takes the lightest entry with its weight added', () => {
    const bags = new UserKeywordBags({ termsPerUser: 3 });
    bags.add('u', ['a', 'a', 'a', 'b', 'b', 'c'], 1, T0);
    bags.add('u', ['d'], 1, T0);
    expect([...bags.bag('u', T0)].sort()).toEqual([['a', 3], ['b', 2], ['d', 2]]);
  });

  it('merges a visitor into a user, decaying to the later reference, and frees the visitor', () => {
    const bags = new UserKeywordBags({ halfLifeMs: DAY_MS });
    bags.add('anon', ['shoes'], 4, T0);
    bags.add('user', ['shoes', 'socks'], 1, T0 + DAY_MS);
    bags.merge('anon', 'user');
    const bag = bags.bag('user', T0 + DAY_MS);
    expect(bag.get('shoes')).toBeCloseTo(2 + 1, 6);
    expect(bag.get('socks')).toBeCloseTo(1, 6);
    expect(bags.bag('anon', T0).size).toBe(0);
    expect(bags.size).toBe(1);
    // Merging into a user without a bag moves the bag as is.
    bags.merge('user', 'other');
    expect(bags.bag('other', T0 + DAY_MS).get('shoes')).toBeCloseTo(3, 6);
  });

  it('reuses freed slots and rejects bad options', () => {
    const bags = new UserKeywordBags();
    bags.add('a', ['x'], 1, T0);
    bags.delete('a');
    bags.add('b', ['y'], 1, T0);
    expect([...bags.bag('b', T0).keys()]).toEqual(['y']);
    expect(() => new UserKeywordBags({ termsPerUser: 0 })).toThrow(/termsPerUser/);
  });
});
