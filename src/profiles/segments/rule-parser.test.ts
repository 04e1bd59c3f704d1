import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { formatRule } from './rule-ast.js';
import { parseRule } from './rule-parser.js';
import { tokenize } from './rule-tokens.js';

/** The AppError a bad rule throws, with its detail. */
function errorOf(rule: string): AppError & { detail: { position: number; column: number; expected: string; found: string } } {
  try {
    parseRule(rule);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('invalid');
    return error as never;
  }
  throw new Error(`rule parsed: ${rule}`);
}

describe('tokenizer', () => {
  it('reads names, dotted paths, strings with escapes, numbers, operators and keywords in any case', () => {
    const tokens = tokenize(`rfm.orders>=2 and Not eventCounts."Product \\"X\\"" <> -1.5e1 || x == 'a'`);
    expect(tokens.map((t) => t.kind)).toEqual(['ident', '.', 'ident', 'op', 'number', 'and', 'not', 'ident', '.', 'string', 'op', 'number', 'or', 'ident', 'op', 'string', 'end']);
    expect(tokens[9]!.text).toBe('Product "X"');
    expect(tokens[10]!.text).toBe('!=');
    expect(tokens[11]!.value).toBe(-15);
    expect(tokens[14]!.text).toBe('=');
  });
});

describe('parseRule', () => {
  it('parses the examples of the issue and writes them back canonically', () => {
    const cases: [string, string][] = [
      ['bought(category = "Guitars", days = 30) AND price.band >= 3 AND inactive(days = 14)', 'bought(category = "Guitars", days = 30) AND price.band >= 3 AND inactive(days = 14)'],
      ['rfm.orders >= 2 OR interest("brand:Yamaha") > 0.3', 'rfm.orders >= 2 OR interest("brand:Yamaha") > 0.3'],
      ['channel("app") and not segment("vip")', 'channel("app") AND NOT segment("vip")'],
    ];
    for (const [rule, canonical] of cases) expect(formatRule(parseRule(rule))).toBe(canonical);
  });

  it('binds NOT tighter than AND, AND tighter than OR, and keeps parentheses that matter', () => {
    const ast = parseRule('rfm.orders > 1 OR rfm.revenue > 9 AND NOT cart.length = 0');
    expect(ast.type).toBe('or');
    expect(formatRule(parseRule('(rfm.orders > 1 OR rfm.revenue > 9) AND cart.length = 0'))).toBe('(rfm.orders > 1 OR rfm.revenue > 9) AND cart.length = 0');
    expect(formatRule(parseRule('NOT (channel("app") OR channel("web"))'))).toBe('NOT (channel("app") OR channel("web"))');
    expect(formatRule(parseRule('!!inactive(days=3)'))).toBe('NOT NOT inactive(days = 3)');
  });

  it('accepts wildcard paths with quoted and numeric keys, and counts with filters', () => {
    expect(formatRule(parseRule('eventCounts."Product Viewed" >= 10 AND activeHours.20 > 0 AND channels.app > 3'))).toBe('eventCounts."Product Viewed" >= 10 AND activeHours.20 > 0 AND channels.app > 3');
    expect(formatRule(parseRule('count("Product Shared", brand = "Yamaha", days = 7) >= 2'))).toBe('count("Product Shared", brand = "Yamaha", days = 7) >= 2');
    expect(parseRule('viewed(item="p1")')).toMatchObject({ type: 'compare', op: null, value: { type: 'call', name: 'viewed' } });
  });

  it('says where and what it expected: a missing number, a missing ) and a stray token', () => {
    const missing = errorOf('rfm.orders >= ');
    expect(missing.detail).toMatchObject({ position: 14, column: 15, expected: 'a number after >=', found: 'end of rule' });
    expect(missing.message).toContain('rule error at column 15: expected a number after >=');
    expect(missing.message).toContain('\nrfm.orders >= \n              ^');
    expect(errorOf('(rfm.orders > 1 OR price.band > 2').detail).toMatchObject({ position: 33, expected: 'AND, OR or ) to close the parenthesis opened at column 1' });
    expect(errorOf('rfm.orders > 1 rfm.revenue > 2').detail).toMatchObject({ position: 15, expected: 'AND, OR or end of rule', found: '"rfm"' });
    expect(errorOf('rfm.orders > 1)').detail).toMatchObject({ position: 14, expected: expect.stringContaining('closes nothing') });
    expect(errorOf('AND rfm.orders > 1').detail).toMatchObject({ position: 0, expected: expect.stringContaining('a field') });
    expect(errorOf('rfm.orders > "two"').detail).toMatchObject({ position: 13, expected: 'a number after >', found: '"two"' });
    expect(errorOf('x = 1 # y').detail).toMatchObject({ position: 6 });
    expect(errorOf('segment("vip').detail).toMatchObject({ position: 12, expected: 'a closing " for the string opened at column 9' });
    expect(errorOf('   ').detail).toMatchObject({ position: 0, found: 'an empty rule' });
  });

  it('refuses unknown fields and functions with a hint', () => {
    const field = errorOf('price.bnad >= 3');
    expect(field.detail).toMatchObject({ position: 0, found: 'unknown field "price.bnad"' });
    expect(field.detail.expected).toContain('price.band');
    expect(errorOf('channels.fax > 1').detail.expected).toContain('channels.web');
    expect(errorOf('activeHours.24 > 1').detail.found).toBe('unknown field "activeHours.24"');
    const fn = errorOf('rfm.orders > 1 AND boughtt(days = 3)');
    expect(fn.detail).toMatchObject({ position: 19, found: 'unknown function "boughtt"' });
    expect(fn.detail.expected).toContain('did you mean bought?');
  });

  it('checks function arguments: names, types, ranges, duplicates and conditions compared', () => {
    expect(errorOf('bought(colour = "red")').detail).toMatchObject({ position: 7, expected: 'one of item, category, brand, tag, days', found: 'colour =' });
    expect(errorOf('bought(days = 0)').detail).toMatchObject({ position: 14, expected: 'a number of days > 0 and ≤ 3650', found: '0' });
    expect(errorOf('bought(days = "30")').detail).toMatchObject({ position: 14, found: '"30"' });
    expect(errorOf('bought(days = 3, days = 4)').detail).toMatchObject({ position: 17, found: 'a second days =' });
    expect(errorOf('bought("Guitars")').detail).toMatchObject({ position: 7, found: 'an unnamed argument' });
    expect(errorOf('inactive()').detail).toMatchObject({ position: 9, expected: 'days = N (inactive for at least N days)' });
    expect(errorOf('inactive(days = 14) > 1').detail).toMatchObject({ position: 20, expected: expect.stringContaining('inactive(…) is a condition') });
    expect(errorOf('channel("fax")').detail).toMatchObject({ position: 8, found: '"fax"' });
    expect(errorOf('tier("gold")').detail.expected).toContain('"champions"');
    expect(errorOf('interest()').detail).toMatchObject({ position: 9 });
    expect(errorOf('count(days = 3)').detail.expected).toContain('an event name first');
    expect(errorOf('viewed(days = 7) >= 5000').detail).toMatchObject({ position: 20, expected: 'a count of at most 999 for a windowed count' });
    expect(errorOf('bought(category = "A" days = 3)').detail).toMatchObject({ position: 22, expected: ', or ) to close bought(' });
  });

  it('limits nesting depth', () => {
    expect(errorOf(`${'('.repeat(80)}rfm.orders > 1${')'.repeat(80)}`).detail.expected).toContain('nested');
  });
});
