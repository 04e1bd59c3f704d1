import { describe, expect, it } from 'vitest';
import { NUMBER_TOKEN, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('lower-cases and splits free text on whitespace and punctuation, keeping joined words', () => {
    expect(tokenize('Book a table for 2 at 8:30, please!')).toEqual(['book', 'a', 'table', 'for', '2', 'at', '8:30', 'please']);
    expect(tokenize("Play R&B top-rated songs; I'm in. (Now)")).toEqual(['play', 'r&b', 'top-rated', 'songs', "i'm", 'in', 'now']);
    expect(tokenize('  rate   Pokémon: the 2.5-star… book  ')).toEqual(['rate', 'pokémon', 'the', '2.5-star', 'book']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('?!')).toEqual([]);
  });

  it('keeps punctuation one character a token when asked, and case when asked', () => {
    expect(tokenize('Hi, you!', { punctuation: 'keep' })).toEqual(['hi', ',', 'you', '!']);
    expect(tokenize('Hi R&B', { lowercase: false })).toEqual(['Hi', 'R&B']);
  });

  it('folds numbers into a class token with numbers: class, leaving mixed tokens', () => {
    expect(tokenize('table for 4 at 8:30 in the 90s, 1,000 of 2.5', { numbers: 'class' }))
      .toEqual(['table', 'for', NUMBER_TOKEN, 'at', NUMBER_TOKEN, 'in', 'the', '90s', NUMBER_TOKEN, NUMBER_TOKEN, 'of', NUMBER_TOKEN]);
    expect(tokenize('rate 4 of 6', { mode: 'whitespace', numbers: 'class' })).toEqual(['rate', NUMBER_TOKEN, 'of', NUMBER_TOKEN]);
  });

  it('whitespace mode reproduces pre-tokenized corpus lines (SNIPS seq.in) exactly, lower-cased', () => {
    // Lines shaped like SNIPS seq.in: punctuation kept inside and as tokens, runs of spaces, a trailing space.
    const lines = ['add step to me to the 50 clásicos playlist ', 'i need a forecast for jetmore  massachusetts', 'play r&b – ii: top-20 by Monty’s'];
    for (const line of lines) expect(tokenize(line, { mode: 'whitespace' })).toEqual(line.toLowerCase().split(/\s+/).filter(Boolean));
    // Free-text mode agrees on lines without stray punctuation.
    expect(tokenize(lines[0]!)).toEqual(tokenize(lines[0]!, { mode: 'whitespace' }));
  });
});
