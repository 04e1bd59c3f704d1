import { AppError } from '../core/errors.js';
import { DEFAULT_EVENT_WEIGHTS } from '../recommend/data/feedback.js';
import { DAY_MS } from './decay.js';
import { F32_WIDTH, F64_WIDTH, type InterestKind, SECTIONS, U16_WIDTH, U32_WIDTH } from './profile-layout.js';
import { SIZE_CLASSES } from './pair-arena.js';

/** Options of the profile processor; every one has a default. */
export interface ProfileOptions {
  /** Half-life of interests, in days (default 14). */
  halfLifeDays?: number;
  /** Interest weight per event name (default DEFAULT_EVENT_WEIGHTS of the recommenders). */
  eventWeights?: Readonly<Record<string, number>>;
  /** Length of the recent item sequence (default 50). */
  recentItems?: number;
  /** Recent searches kept (default 10). */
  recentSearches?: number;
  /** Most interests kept per kind (default categories 24, brands 16, tags 24). */
  interestLimits?: Partial<Record<InterestKind, number>>;
  /** The shop's UTC offset for active hours when an event has no `context.timezone` (default 0). */
  utcOffsetMinutes?: number;
  /** Consent purposes must be granted explicitly (default false: absent = not declined). See consent.ts. */
  requireOptIn?: boolean;
}

/** Resolved options. */
export interface ResolvedProfileOptions {
  halfLifeMs: number;
  weights: Readonly<Record<string, number>>;
  recentItems: number;
  recentSearches: number;
  interestLimits: Readonly<Record<InterestKind, number>>;
  utcOffsetMinutes: number;
  requireOptIn: boolean;
}

const MAX_SECTION = SIZE_CLASSES[SIZE_CLASSES.length - 1]!;

/**
 * Fills defaults and checks ranges (AppError('invalid') naming the option).
 *
 * @example resolveProfileOptions({ halfLifeDays: 7 }).halfLifeMs // 604800000
 */
export function resolveProfileOptions(options: ProfileOptions = {}): ResolvedProfileOptions {
  const check = (field: string, value: number, min: number, max: number) => {
    if (!Number.isFinite(value) || value < min || value > max) throw AppError.invalid(`profile option ${field} must be in [${min}, ${max}], got ${value}`, { field });
    return value;
  };
  const int = (field: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value)) throw AppError.invalid(`profile option ${field} must be an integer, got ${value}`, { field });
    return check(field, value, min, max);
  };
  const limits = { category: 24, brand: 16, tag: 24, ...options.interestLimits };
  return {
    halfLifeMs: check('halfLifeDays', options.halfLifeDays ?? 14, 0.001, 3650) * DAY_MS,
    weights: { ...(options.eventWeights ?? DEFAULT_EVENT_WEIGHTS) },
    recentItems: int('recentItems', options.recentItems ?? 50, 1, MAX_SECTION),
    recentSearches: int('recentSearches', options.recentSearches ?? 10, 1, 1000),
    interestLimits: {
      category: int('interestLimits.category', limits.category, 1, MAX_SECTION),
      brand: int('interestLimits.brand', limits.brand, 1, MAX_SECTION),
      tag: int('interestLimits.tag', limits.tag, 1, MAX_SECTION),
    },
    utcOffsetMinutes: int('utcOffsetMinutes', options.utcOffsetMinutes ?? 0, -14 * 60, 14 * 60),
    requireOptIn: options.requireOptIn ?? false,
  };
}

/**
 * What a snapshot must have been computed with to be continued: the options and the packed layout.
 * A snapshot with another signature is ignored and the log replayed from the start.
 *
 * @example settingsSignature(resolveProfileOptions()) // '{"format":1,…}'
 */
export function settingsSignature(options: ResolvedProfileOptions): string {
  const weights = Object.keys(options.weights).sort().map((k) => [k, options.weights[k]]);
  return JSON.stringify({
    format: 1, layout: [F64_WIDTH, F32_WIDTH, U32_WIDTH, U16_WIDTH, SECTIONS, SIZE_CLASSES.join(',')],
    halfLifeMs: options.halfLifeMs, weights, recentItems: options.recentItems, recentSearches: options.recentSearches,
    interestLimits: options.interestLimits, utcOffsetMinutes: options.utcOffsetMinutes, requireOptIn: options.requireOptIn,
  });
}
