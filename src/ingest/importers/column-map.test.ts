import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { checkColumns, guessColumnMap, parseColumnMap } from './column-map.js';
import { standardEventName } from './event-names.js';

function invalidMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isAppError(error) && error.kind === 'invalid') return error.message;
    throw error;
  }
  throw new Error('expected AppError(invalid)');
}

describe('--map', () => {
  it('parses every key, trimming spaces', () => {
    expect(parseColumnMap(' user=userId, item=movieId,rating=stars,ts=when,event=action,category=cat ')).toEqual({
      user: 'userId', item: 'movieId', rating: 'stars', ts: 'when', event: 'action', category: 'cat',
    });
    expect(parseColumnMap('item=sku,user=customer id')).toEqual({ item: 'sku', user: 'customer id' });
  });

  it('says what is wrong with a bad spec', () => {
    expect(invalidMessage(() => parseColumnMap(''))).toMatch(/--map is empty/);
    expect(invalidMessage(() => parseColumnMap('user=a,product=b'))).toMatch(/unknown key "product"/);
    expect(invalidMessage(() => parseColumnMap('user=a,item'))).toMatch(/"item" names no column/);
    expect(invalidMessage(() => parseColumnMap('user=a,item=b,user=c'))).toMatch(/user is given twice/);
    expect(invalidMessage(() => parseColumnMap('user=a,rating=r'))).toMatch(/must name the item column/);
  });

  it('guesses a map from common column names and refuses when it cannot', () => {
    expect(guessColumnMap(['userId', 'movieId', 'rating', 'timestamp'], 'x')).toEqual({ user: 'userId', item: 'movieId', rating: 'rating', ts: 'timestamp' });
    expect(guessColumnMap(['timestamp', 'visitorid', 'event', 'itemid', 'transactionid'], 'x')).toEqual({ user: 'visitorid', item: 'itemid', ts: 'timestamp', event: 'event' });
    expect(invalidMessage(() => guessColumnMap(['a', 'b'], 'csv header'))).toMatch(/csv header: no --map given and no user column recognised among \[a, b\]/);
  });

  it('checks that the header has every mapped column', () => {
    expect(invalidMessage(() => checkColumns({ user: 'u', item: 'i', ts: 'time' }, ['u', 'i'], 'csv header (line 1)'))).toMatch(/--map ts=time, but the header has no column "time"/);
  });
});

describe('event names', () => {
  it('maps common aliases and standard names in any case; keeps other names', () => {
    expect(['view', 'PV', 'click', 'add_to_cart', 'addtocart', 'buy', 'Purchase', 'transaction', 'fav', 'like', 'share', 'rating', 'product viewed'].map(standardEventName)).toEqual([
      'Product Viewed', 'Product Viewed', 'Product Clicked', 'Product Added', 'Product Added', 'Order Completed', 'Order Completed',
      'Order Completed', 'Product Liked', 'Product Liked', 'Product Shared', 'Review Submitted', 'Product Viewed',
    ]);
    expect(standardEventName(' Wishlist Opened ')).toBe('Wishlist Opened');
  });
});
