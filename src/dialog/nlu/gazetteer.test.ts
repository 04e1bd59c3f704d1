import { describe, expect, it } from 'vitest';
import { catalogVocabulary } from '../domain/catalog-vocabulary.js';
import { fixtureCatalog } from '../dialog-fixtures.js';
import { Gazetteer } from './gazetteer.js';

const gazetteer = Gazetteer.fromVocabulary(catalogVocabulary(fixtureCatalog()));
const found = (text: string) => gazetteer.match(text).map((s) => `${s.type}=${s.value}:${s.raw}`);

describe('Gazetteer', () => {
  it('finds brands, categories of every level and colours in Chinese, longest match first', () => {
    expect(found('有没有云织的蓝色运动鞋')).toEqual(['brand=Yunzhi:云织', 'color=blue:蓝色', 'category=运动鞋:运动鞋']);
    // 运动鞋 (a leaf) wins over 运动 (a root) inside it; 运动 alone is the root category.
    expect(found('运动类的东西')).toEqual(['category=运动:运动']);
    expect(found('数码产品')).toEqual(['category=数码:数码']);
  });

  it('matches English on word boundaries, any case, singular or plural, to the canonical value', () => {
    expect(found('Show me BLUE Sneakers from yunzhi')).toEqual(['color=blue:BLUE', 'category=运动鞋:Sneakers', 'brand=Yunzhi:yunzhi']);
    expect(found('a dress please')).toEqual(['category=连衣裙:dress']);
    expect(found('blueberry sneakerhead')).toEqual([]);
  });

  it('handles mixed-language text', () => {
    expect(found('我想要 Nike 的 running shoes 300以内')).toEqual(['brand=Nike:Nike', 'category=跑鞋:running shoes']);
    expect(found('Yuedong的跑鞋')).toEqual(['brand=Yuedong:Yuedong', 'category=跑鞋:跑鞋']);
  });

  it('takes a one-character colour only where it reads as a colour', () => {
    expect(found('要蓝的')).toEqual(['color=blue:蓝']);
    expect(found('蓝牙耳机')).toEqual(['category=耳机:耳机']);
    expect(found('我明白的')).toEqual([]);
  });

  it('finds sizes by pattern, keeping only those the catalog sells', () => {
    expect(found('连衣裙有M码吗')).toEqual(['category=连衣裙:连衣裙', 'size=M:M码']);
    expect(found('dress in size L')).toEqual(['category=连衣裙:dress', 'size=L:size L']);
    expect(found('I want an XL dress')).toEqual(['category=连衣裙:dress']);
    expect(found("I'm looking")).toEqual([]);
  });

  it('adds the synonyms and lookups of a training set', () => {
    const g = Gazetteer.fromVocabulary(catalogVocabulary(fixtureCatalog()), { synonyms: { trainers: '运动鞋' }, lookups: { brand: ['Acme'] } });
    expect(g.match('acme trainers').map((s) => `${s.type}=${s.value}`)).toEqual(['brand=Acme', 'category=运动鞋']);
    expect(g.typeOf('运动鞋')).toBe('category');
  });

  it('resolves a slot model\'s span to the catalog value of its type: the form itself, or one typo of a Latin word', () => {
    expect(gazetteer.resolve('brand', 'YUNZHI')).toEqual({ value: 'Yunzhi', distance: 0 });
    expect(gazetteer.resolve('brand', '云织')).toEqual({ value: 'Yunzhi', distance: 0 });
    expect(gazetteer.resolve('brand', 'Yunzih')).toEqual({ value: 'Yunzhi', distance: 1 });
    expect(gazetteer.resolve('category', 'sneakrs')).toEqual({ value: '运动鞋', distance: 1 });
    expect(gazetteer.resolve('size', 'm')).toEqual({ value: 'M', distance: 0 });
  });

  it('resolves nothing the catalog does not sell, short words, the wrong type, lone Chinese characters or ties', () => {
    expect(gazetteer.resolve('brand', 'Unicorn')).toBeUndefined();
    expect(gazetteer.resolve('brand', 'Nik')).toBeUndefined(); // under four letters: no typos
    expect(gazetteer.resolve('color', 'Yunzhi')).toBeUndefined();
    expect(gazetteer.resolve('color', '蓝')).toBeUndefined(); // its neighbours decide (蓝牙 is not blue)
    expect(gazetteer.resolve('size', 'XXL')).toBeUndefined(); // the catalog's sizes are S, M, L
    const g = Gazetteer.fromVocabulary(catalogVocabulary(fixtureCatalog()), { synonyms: {}, lookups: { brand: ['Miha', 'Mihu'] } });
    expect(g.resolve('brand', 'Mihx')).toBeUndefined(); // as near to Miha as to Mihu
  });
});
