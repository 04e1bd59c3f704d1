import { CHANNELS } from '../../core/events.js';
import type { Argument, CompareOp, Literal, RuleNode, ValueNode } from './rule-ast.js';
import { closest, FIELDS, findField, FUNCTIONS, type FunctionEntry, ITEM_FILTERS, MAX_WINDOW_DAYS, MAX_WINDOW_THRESHOLD } from './rule-catalog.js';
import { RFM_TIER_NAMES } from './rfm-names.js';
import { ruleError, type Token, tokenize } from './rule-tokens.js';

/*
 * Grammar of segment rules (recursive descent, one function per line; keywords in any case):
 *
 *   rule       := or END
 *   or         := and ( ("OR" | "||") and )*
 *   and        := not ( ("AND" | "&&") not )*
 *   not        := ("NOT" | "!") not | primary
 *   primary    := "(" or ")" | comparison
 *   comparison := value [ op NUMBER ]          a value alone means value > 0 (a condition: true)
 *   value      := NAME "(" [ arg ("," arg)* ] ")" | path
 *   arg        := NAME "=" literal | literal
 *   path       := NAME ( "." ( NAME | STRING | INTEGER ) )*
 *   op         := ">=" | "<=" | ">" | "<" | "=" | "==" | "!=" | "<>"
 *   literal    := STRING | NUMBER
 *
 * Precedence: NOT binds tighter than AND, AND tighter than OR. Field paths and functions are listed in
 * rule-catalog.ts; every error names its column and what was expected there.
 */

const MAX_RULE_LENGTH = 4000;
const MAX_DEPTH = 64;

/**
 * Parses and checks a rule: syntax, field paths, function names and their arguments.
 * Throws `AppError.invalid` whose detail has `position` (0-based), `column`, `expected` and `found`.
 *
 * @example parseRule('bought(category = "Guitars", days = 30) AND price.band >= 3 AND inactive(days = 14)')
 */
export function parseRule(rule: string): RuleNode {
  if (typeof rule !== 'string' || rule.trim() === '') throw ruleError(String(rule ?? ''), 0, 'a rule such as rfm.orders >= 2', 'an empty rule');
  if (rule.length > MAX_RULE_LENGTH) throw ruleError(rule.slice(0, 80), 80, `a rule of at most ${MAX_RULE_LENGTH} characters`, `${rule.length} characters`);
  return new Parser(rule).parse();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private depth = 0;

  constructor(private readonly rule: string) {
    this.tokens = tokenize(rule);
  }

  parse(): RuleNode {
    const node = this.or();
    const t = this.peek();
    if (t.kind !== 'end') {
      const hint = t.kind === ')' ? 'AND, OR or end of rule (this ) closes nothing)' : t.kind === 'op' ? 'AND, OR or end of rule (only a field or a count can be compared)' : 'AND, OR or end of rule';
      throw this.error(t, hint);
    }
    return node;
  }

  private or(): RuleNode {
    let left = this.and();
    while (this.peek().kind === 'or') {
      const at = this.next().at;
      left = { type: 'or', left, right: this.and(), at };
    }
    return left;
  }

  private and(): RuleNode {
    let left = this.not();
    while (this.peek().kind === 'and') {
      const at = this.next().at;
      left = { type: 'and', left, right: this.not(), at };
    }
    return left;
  }

  private not(): RuleNode {
    if (this.peek().kind === 'not') {
      const at = this.next().at;
      return this.nested(() => ({ type: 'not', operand: this.not(), at }));
    }
    return this.primary();
  }

  private primary(): RuleNode {
    const t = this.peek();
    if (t.kind === '(') {
      this.next();
      const inner = this.nested(() => this.or());
      const close = this.peek();
      if (close.kind !== ')') throw this.error(close, `AND, OR or ) to close the parenthesis opened at column ${t.at + 1}`);
      this.next();
      return inner;
    }
    if (t.kind !== 'ident') throw this.error(t, 'a field (e.g. rfm.orders), a function (e.g. bought(days = 30)), NOT or (');
    const value = this.value();
    const opToken = this.peek();
    const entry = value.type === 'call' ? FUNCTIONS.find((f) => f.name === value.name)! : undefined;
    if (opToken.kind !== 'op') return { type: 'compare', value, op: null, number: null, at: value.at };
    if (entry?.kind === 'condition') throw this.error(opToken, `AND, OR or end of rule (${entry.name}(…) is a condition, it cannot be compared)`);
    this.next();
    const n = this.peek();
    if (n.kind !== 'number') throw this.error(n, `a number after ${opToken.text}`);
    this.next();
    if (entry?.kind === 'count' && value.type === 'call' && value.args.some((a) => a.name === 'days') && n.value! > MAX_WINDOW_THRESHOLD) {
      throw this.error(n, `a count of at most ${MAX_WINDOW_THRESHOLD} for a windowed count`);
    }
    return { type: 'compare', value, op: opToken.text as CompareOp, number: n.value!, at: value.at };
  }

  private value(): ValueNode {
    const name = this.next();
    if (this.peek().kind === '(') return this.call(name);
    const path = [name.text];
    while (this.peek().kind === '.') {
      this.next();
      const part = this.peek();
      if (part.kind !== 'ident' && part.kind !== 'string' && !(part.kind === 'number' && Number.isInteger(part.value))) throw this.error(part, `a field name after "${path.join('.')}."`);
      this.next();
      path.push(part.text);
    }
    this.checkField(path, name);
    return { type: 'field', path, at: name.at };
  }

  private call(name: Token): ValueNode {
    const entry = FUNCTIONS.find((f) => f.name === name.text.toLowerCase());
    if (!entry) {
      const near = closest(name.text, FUNCTIONS.map((f) => f.name));
      throw this.error(name, `a function (${FUNCTIONS.map((f) => f.name).join(', ')})${near.length ? `; did you mean ${near[0]}?` : ''}`, `unknown function "${name.text}"`);
    }
    this.next(); // (
    const args: Argument[] = [];
    if (this.peek().kind !== ')') {
      for (;;) {
        args.push(this.argument());
        if (this.peek().kind !== ',') break;
        this.next();
      }
    }
    const close = this.peek();
    if (close.kind !== ')') throw this.error(close, `, or ) to close ${entry.name}(`);
    this.next();
    checkArguments(this.rule, entry, args, name.at, close.at);
    return { type: 'call', name: entry.name, args, at: name.at };
  }

  private argument(): Argument {
    const t = this.peek();
    if (t.kind === 'ident' && this.tokens[this.i + 1]?.kind === 'op' && this.tokens[this.i + 1]!.text === '=') {
      this.i += 2;
      return { name: t.text.toLowerCase(), value: this.literal(`a "string" or a number for ${t.text} =`), at: t.at };
    }
    return { name: null, value: this.literal('an argument: a "string", a number or name = value'), at: t.at };
  }

  private literal(expected: string): Literal {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return { kind: 'string', value: t.text, at: t.at };
    }
    if (t.kind === 'number') {
      this.next();
      return { kind: 'number', value: t.value!, at: t.at };
    }
    throw this.error(t, expected);
  }

  private checkField(path: string[], first: Token): void {
    if (findField(path)) return;
    const joined = path.join('.');
    const names = FIELDS.map((f) => f.path);
    const wildcard = FIELDS.find((f) => f.path === `${path[0]}.*`);
    if (wildcard?.keys && path.length === 2) throw this.error(first, `one of ${wildcard.keys.map((k) => `${path[0]}.${k}`).slice(0, 8).join(', ')}${wildcard.keys.length > 8 ? ', …' : ''}`, `unknown field "${joined}"`);
    const near = closest(joined, names);
    throw this.error(first, `a profile field${near.length ? ` such as ${near.join(', ')}` : ` (${names.slice(0, 6).join(', ')}, …)`}`, `unknown field "${joined}"`);
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw this.error(this.peek(), `at most ${MAX_DEPTH} nested parentheses or NOTs`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private error(t: Token, expected: string, found?: string) {
    return ruleError(this.rule, t.at, expected, found ?? (t.kind === 'end' ? 'end of rule' : t.kind === 'string' ? JSON.stringify(t.text) : `"${t.text}"`));
  }
}

/** Checks a call's arguments against its catalogue entry (names, kinds, ranges, duplicates). */
function checkArguments(rule: string, entry: FunctionEntry, args: Argument[], at: number, closeAt: number): void {
  const fail = (where: number, expected: string, found: string) => {
    throw ruleError(rule, where, expected, found);
  };
  const positional = args.filter((a) => a.name === null);
  const named = args.filter((a) => a.name !== null);
  const seen = new Set<string>();
  for (const a of named) {
    if (seen.has(a.name!)) fail(a.at, `each argument once in ${entry.name}(…)`, `a second ${a.name} =`);
    seen.add(a.name!);
  }
  const oneString = (what: string, allowed?: readonly string[]) => {
    if (named.length > 0) fail(named[0]!.at, `just ${what} in ${entry.name}(…)`, `${named[0]!.name} =`);
    if (positional.length !== 1) fail(positional[1]?.at ?? closeAt, `${positional.length ? 'one argument' : what} in ${entry.name}(…)`, positional.length ? 'a second argument' : ')');
    const v = positional[0]!.value;
    if (v.kind !== 'string' || v.value.trim() === '') fail(v.at, `${what} as a non-empty "string"`, v.kind === 'number' ? String(v.value) : '""');
    if (allowed && !allowed.includes((v as { value: string }).value)) fail(v.at, `one of ${allowed.map((s) => JSON.stringify(s)).join(', ')}`, JSON.stringify((v as { value: string }).value));
  };
  switch (entry.name) {
    case 'interest':
      return oneString('an interest name, e.g. "brand:Yamaha"');
    case 'channel':
      return oneString('a channel', CHANNELS);
    case 'segment':
      return oneString('a segment id or name');
    case 'tier':
      return oneString('an RFM tier', RFM_TIER_NAMES);
    case 'inactive': {
      if (positional.length) fail(positional[0]!.at, 'days = N in inactive(…)', 'an unnamed argument');
      for (const a of named) if (a.name !== 'days') fail(a.at, 'only days = N in inactive(…)', `${a.name} =`);
      if (!seen.has('days')) fail(closeAt, 'days = N (inactive for at least N days)', ')');
      return checkDays(rule, named.find((a) => a.name === 'days')!);
    }
    default: {
      // Behaviour windows: count("Event", filters…, days) or bought/viewed/carted(filters…, days).
      if (entry.name === 'count') {
        const first = args[0];
        if (!first || first.name !== null || first.value.kind !== 'string' || first.value.value === '') fail(first?.at ?? at, 'an event name first, e.g. count("Product Viewed", days = 7)', first ? 'something else' : ')');
        if (positional.length > 1) fail(positional[1]!.at, 'name = value after the event name', 'a second unnamed argument');
      } else if (positional.length) fail(positional[0]!.at, `named arguments in ${entry.name}(…): ${ITEM_FILTERS.join(', ')} = "…", days = N`, 'an unnamed argument');
      for (const a of named) {
        if (a.name === 'days') checkDays(rule, a);
        else if ((ITEM_FILTERS as readonly string[]).includes(a.name!)) {
          if (a.value.kind !== 'string' || a.value.value === '') fail(a.value.at, `a non-empty "string" for ${a.name} =`, String(a.value.value));
        } else fail(a.at, `one of ${[...ITEM_FILTERS, 'days'].join(', ')}`, `${a.name} =`);
      }
    }
  }
}

function checkDays(rule: string, arg: Argument): void {
  const v = arg.value;
  if (v.kind !== 'number' || !(v.value > 0) || v.value > MAX_WINDOW_DAYS) {
    throw ruleError(rule, v.at, `a number of days > 0 and ≤ ${MAX_WINDOW_DAYS}`, v.kind === 'string' ? JSON.stringify(v.value) : String(v.value));
  }
}
