import { AppError } from '../core/errors.js';

/** One typed hyper-parameter: its default, its valid range and, for tuning, the range to search. */
export type ParamDef =
  | { type: 'int'; default: number; min: number; max: number; doc: string; tune?: readonly [number, number]; log?: boolean }
  | { type: 'float'; default: number; min: number; max: number; doc: string; tune?: readonly [number, number]; log?: boolean }
  | { type: 'enum'; default: string; values: readonly string[]; doc: string; tune?: boolean }
  | { type: 'bool'; default: boolean; doc: string; tune?: boolean };

/** A model's hyper-parameters by name. */
export type ParamSpec = Record<string, ParamDef>;

/** The resolved values of a spec: numbers, enum strings and booleans. */
export type ParamsOf<S extends ParamSpec> = {
  -readonly [K in keyof S]: S[K] extends { type: 'enum'; values: readonly (infer V)[] } ? V : S[K] extends { type: 'bool' } ? boolean : number;
};

/**
 * The defaults of `spec` overridden by `given`, checked: an unknown name, a value of the wrong type or
 * out of range is an `AppError('invalid')` naming the model, the parameter and the valid range. Numbers
 * and booleans may be given as strings (from a command line).
 *
 * @example
 * const p = resolveParams('svd', SVD_PARAMS, { factors: '64' }); // p.factors === 64
 */
export function resolveParams<S extends ParamSpec>(model: string, spec: S, given: Record<string, unknown> = {}): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!(name in spec)) {
      throw AppError.invalid(`${model}: unknown parameter "${name}"; its parameters are ${Object.keys(spec).join(', ') || '(none)'}`, { field: `params.${name}` });
    }
  }
  for (const [name, def] of Object.entries(spec)) {
    const raw = given[name];
    out[name] = raw === undefined ? def.default : checkValue(model, name, def, raw);
  }
  return out as ParamsOf<S>;
}

function checkValue(model: string, name: string, def: ParamDef, raw: unknown): unknown {
  const field = `params.${name}`;
  const where = `${model}: parameter ${name}`;
  switch (def.type) {
    case 'int':
    case 'float': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw AppError.invalid(`${where} must be a number, got ${JSON.stringify(raw)}`, { field });
      if (def.type === 'int' && !Number.isInteger(value)) throw AppError.invalid(`${where} must be a whole number, got ${value}`, { field });
      if (value < def.min || value > def.max) throw AppError.invalid(`${where} must be between ${def.min} and ${def.max}, got ${value}`, { field });
      return value;
    }
    case 'enum':
      if (typeof raw !== 'string' || !def.values.includes(raw)) throw AppError.invalid(`${where} must be one of ${def.values.join(', ')}, got ${JSON.stringify(raw)}`, { field });
      return raw;
    case 'bool':
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      throw AppError.invalid(`${where} must be true or false, got ${JSON.stringify(raw)}`, { field });
  }
}

/**
 * Parses `a=1,b=0.5,c=cosine` (the CLI's `--params`) into a record of strings.
 *
 * @example parseParamList('factors=64,epochs=30') // { factors: '64', epochs: '30' }
 */
export function parseParamList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw AppError.invalid(`parameters are name=value pairs separated by commas; "${part}" has no name=value`, { field: 'params' });
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
