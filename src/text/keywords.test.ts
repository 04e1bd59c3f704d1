import { describe, expect, it } from 'vitest';
import { isKeywordTerm, KeywordIndex, keywordTerms } from './keywords.js';

/** A small bilingual shop: searches and item titles in English and Chinese. */
const CORPUS = [
  'wireless earbuds', 'wireless earbuds with case', 'bluetooth earbuds', 'wireless headphones', 'noise cancelling headphones',
  'acoustic guitar', 'guitar strings', 'electric guitar', 'guitar capo', 'guitar tuner',
  '无线耳机', '蓝牙耳机 降噪', '耳机 充电盒', '吉他 琴弦', '民谣吉他', '电吉他 音箱', '跑步鞋 男', '运动鞋 女',
  'running shoes', 'trail running shoes', 'the best running shoes for men',
];

function shopIndex(): KeywordIndex {
  const index = new KeywordIndex();
  for (const text of CORPUS) index.addText(text);
  return index;
}

describe('keywordTerms', () => {
  it('segments Chinese and English, drops stopwords, numbers and single letters', () => {
    expect(keywordTerms('The best 无线耳机 for 2 people, size 42 x')).toEqual(['best', '无线耳机', 'people', 'size']);
    expect(keywordTerms('买了一个很好的蓝牙耳机')).toEqual(['买', '蓝牙', '耳机']);
    expect(keywordTerms('iPhone 15 Pro 256GB')).toEqual(['iphone', 'pro', '256gb']);
  });

  it('tells keyword candidates from numbers and symbols', () => {
    expect(isKeywordTerm('42')).toBe(false);
    expect(isKeywordTerm('8:30')).toBe(false);
    expect(isKeywordTerm('鞋')).toBe(true);
    expect(isKeywordTerm('a')).toBe(false);
    expect(isKeywordTerm('256gb')).toBe(true);
    expect(isKeywordTerm('x'.repeat(41))).toBe(false);
  });
});

describe('KeywordIndex', () => {
  it('counts document frequencies once per document', () => {
    const index = shopIndex();
    expect(index.documents).toBe(CORPUS.length);
    expect(index.documentFrequency('guitar')).toBe(5);
    expect(index.documentFrequency('earbuds')).toBe(3);
    index.addDocument(['guitar', 'guitar', 'guitar']);
    expect(index.documentFrequency('guitar')).toBe(6);
  });

  it('scores by idf with saturating term frequency', () => {
    const index = shopIndex();
    // idf = ln(1 + (N − df + ½)/(df + ½)), N = 21
    expect(index.idf('guitar')).toBeCloseTo(Math.log(1 + (21 - 5 + 0.5) / 5.5), 12);
    expect(index.idf('never-seen')).toBeCloseTo(Math.log(1 + 21.5 / 0.5), 12);
    // tf·(k1+1)/(tf+k1), k1 = 1.2: saturates, so 10 counts are worth less than 10× one count.
    expect(index.score('guitar', 1)).toBeCloseTo(index.idf('guitar'), 12);
    expect(index.score('guitar', 10) / index.score('guitar', 1)).toBeCloseTo((10 * 2.2) / 11.2, 12);
  });

  it('gives a bag its distinctive terms first: rare in the shop beats common, frequency breaks the rest', () => {
    const index = shopIndex();
    const user = keywordTerms('guitar strings, guitar capo, 民谣吉他 琴弦, guitar, 琴弦 保养');
    const top = index.topKeywords(user, { limit: 4 }).map((k) => k.term);
    // 保养: once, never seen in the shop (highest idf); 琴弦: twice, in one shop document.
    expect(top.slice(0, 2).sort()).toEqual(['保养', '琴弦']);
    expect(top).not.toContain('guitar'); // three times, but the shop's most common word
  });

  it('leaves out terms below minCount and keeps a stable order', () => {
    const index = shopIndex();
    const bag = new Map([['earbuds', 3], ['headphones', 3], ['case', 0.5]]);
    const top = index.topKeywords(bag, { minCount: 1 });
    expect(top.map((k) => k.term)).toEqual(['headphones', 'earbuds']);
    expect(top[0]!.count).toBe(3);
  });

  it('forgets the rarest terms past maxTerms and keeps counting', () => {
    const index = new KeywordIndex({ maxTerms: 20 });
    for (let i = 0; i < 30; i++) index.addDocument(['common', `rare${i}`]);
    expect(index.terms).toBeLessThanOrEqual(20);
    expect(index.documentFrequency('common')).toBe(30);
    expect(index.documentFrequency('rare29')).toBe(1);
  });
});
