import { AppError } from '../../core/errors.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | '.' | 'and' | 'or' | 'not' | 'end';

export interface Token {
  kind: TokenKind;
  /** The text as typed (for `string` the unquoted value; for `op` the canonical operator). */
  text: string;
  /** Offset of the first character in the rule. */
  at: number;
  /** For numbers. */
  value?: number;
}

const KEYWORDS: Record<string, TokenKind> = { and: 'and', or: 'or', not: 'not' };
/** Operators, longest first; `==` and `<>` are accepted spellings of `=` and `!=`. */
const OPERATORS: [string, string][] = [['>=', '>='], ['<=', '<='], ['!=', '!='], ['<>', '!='], ['==', '='], ['>', '>'], ['<', '<'], ['=', '=']];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/**
 * A rule error: where (1-based column, and the offset), what was found and what was expected. The
 * message quotes the rule with a caret under the spot, so it reads well in a CLI and in a 400 body.
 *
 * @example throw ruleError(rule, 12, 'a number', 'end of rule')
 */
export function ruleError(rule: string, at: number, expected: string, found?: string): AppError {
  const shown = found ?? describeAt(rule, at);
  const caret = `${rule}\n${' '.repeat(Math.min(at, rule.length))}^`;
  return AppError.invalid(`rule error at column ${at + 1}: expected ${expected}, found ${shown}\n${caret}`, {
    field: 'rule', position: at, column: at + 1, expected, found: shown,
  });
}

function describeAt(rule: string, at: number): string {
  if (at >= rule.length) return 'end of rule';
  const word = /^[A-Za-z0-9_.]+/.exec(rule.slice(at))?.[0];
  return JSON.stringify(word ?? rule[at]!);
}

/**
 * Splits a rule into tokens: identifiers, "strings" or 'strings' (with \" \\ \n escapes), numbers
 * (`30`, `0.5`, `-2`, `1e3`), comparison operators, parentheses, commas, dots, and the keywords AND /
 * OR / NOT (any case; `&&`, `||` and `!` are accepted too).
 *
 * @example tokenize('rfm.orders >= 2').map((t) => t.kind) // ['ident', '.', 'ident', 'op', 'number', 'end']
 */
export function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (IDENT_START.test(c)) {
      while (i < rule.length && IDENT_PART.test(rule[i]!)) i++;
      const text = rule.slice(start, i);
      tokens.push({ kind: KEYWORDS[text.toLowerCase()] ?? 'ident', text, at: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9.]/.test(rule[i + 1] ?? '')) || (c === '.' && /[0-9]/.test(rule[i + 1] ?? '') && tokens.at(-1)?.kind !== 'ident')) {
      const match = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(rule.slice(i))!;
      i += match[0].length;
      tokens.push({ kind: 'number', text: match[0], at: start, value: Number(match[0]) });
      continue;
    }
    if (c === '"' || c === "'") {
      tokens.push({ kind: 'string', text: readString(rule, start), at: start });
      i = skipString(rule, start);
      continue;
    }
    if (rule.startsWith('&&', i) || rule.startsWith('||', i)) {
      tokens.push({ kind: c === '&' ? 'and' : 'or', text: rule.slice(i, i + 2), at: start });
      i += 2;
      continue;
    }
    const op = OPERATORS.find(([spelling]) => rule.startsWith(spelling, i));
    if (op) {
      tokens.push({ kind: 'op', text: op[1], at: start });
      i += op[0].length;
      continue;
    }
    if (c === '!') {
      tokens.push({ kind: 'not', text: '!', at: start });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '.') {
      tokens.push({ kind: c, text: c, at: start });
      i++;
      continue;
    }
    throw ruleError(rule, start, 'a name, a number, a "string", an operator or a parenthesis', JSON.stringify(c));
  }
  tokens.push({ kind: 'end', text: '', at: rule.length });
  return tokens;
}

function skipString(rule: string, start: number): number {
  const quote = rule[start]!;
  let i = start + 1;
  while (i < rule.length && rule[i] !== quote) i += rule[i] === '\\' ? 2 : 1;
  if (i >= rule.length) throw ruleError(rule, rule.length, `a closing ${quote} for the string opened at column ${start + 1}`);
  return i + 1;
}

function readString(rule: string, start: number): string {
  const end = skipString(rule, start);
  const body = rule.slice(start + 1, end - 1);
  return body.replace(/\\(.)/g, (_, e: string) => (e === 'n' ? '\n' : e === 't' ? '\t' : e));
}
