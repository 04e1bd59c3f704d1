/**
 * The syntax tree of a segment rule (rule-parser.ts makes it, rule-compiler.ts turns it into an
 * evaluator). Every node keeps the offset of its first character in the rule text, so a later check can
 * still say where the problem is.
 */

export type CompareOp = '>' | '>=' | '<' | '<=' | '=' | '!=';

/** A literal argument of a call: `"Guitars"` or `30`. */
export type Literal = { kind: 'string'; value: string; at: number } | { kind: 'number'; value: number; at: number };

/** One call argument, positional (`"brand:Yamaha"`) or named (`days = 30`). */
export interface Argument {
  name: string | null;
  value: Literal;
  at: number;
}

export type RuleNode =
  | { type: 'and' | 'or'; left: RuleNode; right: RuleNode; at: number }
  | { type: 'not'; operand: RuleNode; at: number }
  /** `value op number`; a value alone is the test `value > 0` (op and number are null). */
  | { type: 'compare'; value: ValueNode; op: CompareOp | null; number: number | null; at: number };

export type ValueNode =
  /** A dotted path into the profile, e.g. ['rfm', 'orders'] or ['eventCounts', 'Product Viewed']. */
  | { type: 'field'; path: string[]; at: number }
  | { type: 'call'; name: string; args: Argument[]; at: number };

/**
 * The rule text written back in canonical form (keywords upper case, one space around operators,
 * parentheses only where precedence needs them): what the API shows next to what was typed.
 *
 * @example formatRule(parseRule('rfm.orders>=2 or not inactive(days=14)')) // 'rfm.orders >= 2 OR NOT inactive(days = 14)'
 */
export function formatRule(node: RuleNode): string {
  switch (node.type) {
    case 'and':
    case 'or': {
      const side = (child: RuleNode) => (node.type === 'and' && child.type === 'or' ? `(${formatRule(child)})` : formatRule(child));
      return `${side(node.left)} ${node.type.toUpperCase()} ${side(node.right)}`;
    }
    case 'not':
      return `NOT ${node.operand.type === 'and' || node.operand.type === 'or' ? `(${formatRule(node.operand)})` : formatRule(node.operand)}`;
    case 'compare':
      return node.op === null ? formatValue(node.value) : `${formatValue(node.value)} ${node.op} ${node.number}`;
  }
}

function formatValue(value: ValueNode): string {
  if (value.type === 'field') return value.path.map((p, i) => (i > 0 && !/^[A-Za-z_][A-Za-z0-9_]*$|^\d+$/.test(p) ? JSON.stringify(p) : p)).join('.');
  const args = value.args.map((a) => (a.name === null ? '' : `${a.name} = `) + (a.value.kind === 'string' ? JSON.stringify(a.value.value) : String(a.value.value)));
  return `${value.name}(${args.join(', ')})`;
}
