import { describe, expect, it } from 'vitest';
import type { Slot } from '../nlu.js';
import { dialogSlots } from './dialog-rules.js';

const rules = (text: string, brands: Slot[] = []) => dialogSlots(text, brands).slots.map((s) => `${s.type}=${s.value}`);

describe('dialog rules', () => {
  it('reads ordinals in both languages', () => {
    expect(rules('第二个是什么材质的')).toEqual(['ordinal=2', 'attribute=material']);
    expect(rules('第3款')).toEqual(['ordinal=3']);
    expect(rules('最后一个')).toEqual(['ordinal=last']);
    expect(rules('compare the first and the second one')).toEqual(['ordinal=1', 'ordinal=2']);
    expect(rules('number 4 please')).toEqual(['ordinal=4']);
  });

  it('reads "not this brand" and turns a negated brand into an exclusion', () => {
    expect(rules('不要这个牌子')).toEqual(['exclude_brand=this']);
    expect(rules('换个品牌吧')).toEqual(['exclude_brand=this']);
    expect(rules('not this brand')).toEqual(['exclude_brand=this']);
    expect(rules('show me another brand')).toEqual(['exclude_brand=this']);
    const brand: Slot = { type: 'brand', value: 'Yunzhi', start: 2, end: 4, raw: '云织', source: 'gazetteer', confidence: 1 };
    const { slots, negatedBrands } = dialogSlots('不要云织的', [brand]);
    expect(slots.map((s) => `${s.type}=${s.value}`)).toEqual(['exclude_brand=Yunzhi']);
    expect(negatedBrands).toEqual([brand]);
    expect(dialogSlots('要云织的', [{ ...brand, start: 1, end: 3 }]).negatedBrands).toEqual([]);
  });

  it('reads the attribute asked about and order numbers', () => {
    expect(rules('how much is it')).toEqual(['attribute=price']);
    expect(rules('有货吗')).toEqual(['attribute=stock']);
    expect(rules('订单号 SW123456 到哪了')).toEqual(['order_id=SW123456']);
    expect(rules('track order 20261202123')).toEqual(['order_id=20261202123']);
  });
});
