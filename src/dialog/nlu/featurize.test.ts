import { describe, expect, it } from 'vitest';
import { FeatureVocabulary } from './feature-vocabulary.js';
import { backoffToken, textFeatures } from './featurize.js';

describe('textFeatures', () => {
  it('gives Chinese jieba words followed by their characters', () => {
    const f = textFeatures('我想买运动鞋');
    expect(f).toContain('运动鞋');
    const at = f.indexOf('运动鞋');
    expect(f.slice(at, at + 4)).toEqual(['运动鞋', '运', '动', '鞋']);
    expect(f).toContain('我');
  });

  it('lower-cases English words, drops punctuation and folds numbers', () => {
    expect(textFeatures('Play Jazz at 8:30, please!')).toEqual(['play', 'jazz', 'at', '<num>', 'please']);
    // An already tokenized SNIPS line joined with spaces takes the same path.
    expect(textFeatures(['add', 'this', 'song', 'to', 'my', 'playlist'].join(' '))).toEqual(['add', 'this', 'song', 'to', 'my', 'playlist']);
  });

  it('handles mixed-language text in order', () => {
    const f = textFeatures('Nike 跑鞋 under 300元');
    expect(f[0]).toBe('nike');
    expect(f).toContain('跑鞋');
    expect(f).toContain('under');
    expect(f).toContain('<num>');
    expect(f.indexOf('nike')).toBeLessThan(f.indexOf('跑鞋'));
    expect(f.indexOf('跑鞋')).toBeLessThan(f.indexOf('under'));
  });

  it('cuts at maxFeatures and handles empty text', () => {
    expect(textFeatures('a b c d e f', { maxFeatures: 3 })).toEqual(['a', 'b', 'c']);
    expect(textFeatures('   ')).toEqual([]);
  });

  it('backs rare English words off to their suffix in the vocabulary', () => {
    expect(backoffToken('streaming')).toBe('~ing');
    expect(backoffToken('耳机')).toBeUndefined();
    expect(backoffToken('cat')).toBeUndefined();
    const v = FeatureVocabulary.fromTraining([['play', 'streaming'], ['play', 'jazz'], ['play', 'dreaming']], 2);
    const [play, unseen, unknown] = v.encode(['play', 'seeming', 'zzz']);
    expect(play).toBe(v.vocabulary.id('play'));
    expect(unseen).toBe(v.vocabulary.id('~ing'));
    expect(unseen).toBeGreaterThan(1);
    expect(unknown).toBe(1);
  });
});
