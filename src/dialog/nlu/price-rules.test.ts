import { describe, expect, it } from 'vitest';
import { parseAmount, priceSlots } from './price-rules.js';

const prices = (text: string) => priceSlots(text).map((s) => `${s.type}=${s.value}:${s.raw}`);

describe('price rules', () => {
  it('reads upper bounds in Chinese and English', () => {
    expect(prices('300元以内的耳机')).toEqual(['price_max=300:300元以内']);
    expect(prices('300块以下')).toEqual(['price_max=300:300块以下']);
    expect(prices('headphones under 300 yuan')).toEqual(['price_max=300:under 300 yuan']);
    expect(prices('不超过两千五')).toEqual(['price_max=2500:不超过两千五']);
    expect(prices('budget is $50')).toEqual(['price_max=50:budget is $50']);
    expect(prices('50 dollars or less')).toEqual(['price_max=50:50 dollars or less']);
  });

  it('reads lower bounds and ranges', () => {
    expect(prices('over 100')).toEqual(['price_min=100:over 100']);
    expect(prices('500元以上')).toEqual(['price_min=500:500元以上']);
    expect(prices('between $20 and $50')).toEqual(['price_max=50:between $20 and $50', 'price_min=20:between $20 and $50']);
    expect(prices('20到50元')).toEqual(['price_max=50:20到50元', 'price_min=20:20到50元']);
    expect(prices('1k-2k rmb')).toEqual(['price_max=2000:1k-2k rmb', 'price_min=1000:1k-2k rmb']);
  });

  it('reads "around" as ±20% and a bare amount with a currency the same way', () => {
    expect(prices('500左右')).toEqual(['price_max=600:500左右', 'price_min=400:500左右']);
    expect(prices('300块的耳机')).toEqual(['price_max=360:300块', 'price_min=240:300块']);
  });

  it('leaves relative wishes to the dialog state', () => {
    expect(prices('便宜点')).toEqual(['price_relative=lower:便宜点']);
    expect(prices('anything cheaper?')).toEqual(['price_relative=lower:cheaper']);
    expect(prices('more expensive ones')).toEqual(['price_relative=higher:more expensive']);
  });

  it('works in mixed-language text and ignores numbers that are not prices', () => {
    expect(prices('我想要 Nike 的 running shoes 300以内')).toEqual(['price_max=300:300以内']);
    expect(prices('42码的运动鞋')).toEqual([]);
    expect(prices('第二个')).toEqual([]);
    expect(prices('订单 12345678 到哪了')).toEqual([]);
    expect(prices('2到3天能到吗')).toEqual([]);
  });

  it('parses amounts as shoppers write them', () => {
    expect([parseAmount('1,299'), parseAmount('2.5k'), parseAmount('3千'), parseAmount('1.5万'), parseAmount('三百'), parseAmount('一千二百'), parseAmount('一百零五'), parseAmount('十五')]).toEqual([1299, 2500, 3000, 15000, 300, 1200, 105, 15]);
    expect(parseAmount('abc')).toBeUndefined();
  });
});
