/** Epoch milliseconds of `input` (ISO 8601 string, epoch ms or epoch seconds), or undefined when it is not a time. */
export function parseTimestamp(input: string | number | undefined): number | undefined {
  if (input === undefined) return undefined;
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return undefined;
    // Values below 1e11 are seconds (1e11 s is year 5138; 1e11 ms is 1973).
    return input < 1e11 ? Math.round(input * 1000) : Math.round(input);
  }
  if (/^\d+(\.\d+)?$/.test(input)) return parseTimestamp(Number(input));
  const ms = Date.parse(input);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Timestamps earlier than this (1990-01-01; MovieLens and CDNOW data start in 1997) or later than now + this skew are rejected as mistakes. */
export const EARLIEST_TIMESTAMP = Date.UTC(1990, 0, 1);
export const MAX_CLOCK_SKEW_MS = 24 * 3600 * 1000;
