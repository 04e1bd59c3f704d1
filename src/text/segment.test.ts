import { describe, expect, it } from 'vitest';
import { segmentWords, STOPWORDS } from './segment.js';

describe('segmentWords', () => {
  it('splits Chinese into words through jieba, not into characters', () => {
    expect(segmentWords('男士运动鞋')).toEqual(['男士', '运动鞋']);
    expect(segmentWords('吉他琴弦效果器')).toEqual(['吉他', '琴弦', '效果器']);
  });

  it('keeps the text order across Chinese and English and lower-cases the English', () => {
    expect(segmentWords('Nike 男士运动鞋, Size 42')).toEqual(['nike', '男士', '运动鞋', 'size', '42']);
    expect(segmentWords('iPhone手机壳')).toEqual(['iphone', '手机', '壳']);
    expect(segmentWords('Top-rated R&B strings!')).toEqual(['top-rated', 'r&b', 'strings']);
  });

  it('drops Chinese punctuation and empty text', () => {
    expect(segmentWords('很好，很舒服。')).not.toContain('，');
    expect(segmentWords('')).toEqual([]);
    expect(segmentWords('  ?! ')).toEqual([]);
  });

  it('leaves out stopwords when given', () => {
    expect(segmentWords('The best guitar of the year', { stopwords: STOPWORDS })).toEqual(['best', 'guitar', 'year']);
    expect(segmentWords('我的吉他', { stopwords: STOPWORDS })).toEqual(['吉他']);
  });
});
