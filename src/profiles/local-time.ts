const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface ZoneOffset {
  format: Intl.DateTimeFormat | null;
  /** The hour (epoch ms / HOUR) the cached offset is for. */
  hour: number;
  offsetMs: number;
}

/**
 * Local hour of day and weekday of event times. An event's `context.timezone` (an IANA name such as
 * `Asia/Shanghai`, as the Segment spec sends it) wins; otherwise the shop's fixed UTC offset is used.
 * Intl is slow, so each zone's offset is computed once per hour of time seen (DST changes on the hour).
 *
 * @example new LocalClock(480).hourAndWeekday(Date.UTC(2024, 0, 1, 16), undefined) // { hour: 0, weekday: 2 }
 */
export class LocalClock {
  private readonly zones = new Map<string, ZoneOffset>();

  constructor(private readonly defaultOffsetMinutes: number) {}

  /** Hour 0–23 and weekday 0–6 (0 = Sunday) of `t` in `timeZone`, or at the default offset. */
  hourAndWeekday(t: number, timeZone: unknown): { hour: number; weekday: number } {
    const local = t + this.offsetMs(t, timeZone);
    const day = Math.floor(local / DAY);
    return { hour: Math.floor((local - day * DAY) / HOUR), weekday: (((day + 4) % 7) + 7) % 7 };
  }

  private offsetMs(t: number, timeZone: unknown): number {
    if (typeof timeZone !== 'string' || timeZone === '') return this.defaultOffsetMinutes * MINUTE;
    let zone = this.zones.get(timeZone);
    if (!zone) {
      zone = { format: zoneFormat(timeZone), hour: NaN, offsetMs: this.defaultOffsetMinutes * MINUTE };
      // Shops send a handful of zones; a client inventing names must not grow this without bound.
      if (this.zones.size < 1000) this.zones.set(timeZone, zone);
    }
    if (!zone.format) return this.defaultOffsetMinutes * MINUTE;
    const hour = Math.floor(t / HOUR);
    if (zone.hour !== hour) {
      zone.hour = hour;
      zone.offsetMs = zoneOffsetMs(zone.format, t);
    }
    return zone.offsetMs;
  }
}

/** A formatter for the zone, or null when the name is not a zone this runtime knows. */
function zoneFormat(timeZone: string): Intl.DateTimeFormat | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  } catch {
    return null;
  }
}

function zoneOffsetMs(format: Intl.DateTimeFormat, t: number): number {
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return wall - Math.floor(t / MINUTE) * MINUTE;
}
