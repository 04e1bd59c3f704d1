import { TypeCompiler } from '@sinclair/typebox/compiler';
import { EventInputSchema, type Channel, type EventInput, type NormalizedEvent } from '../core/events.js';
import { isValidId, newUuid } from '../core/ids.js';
import { EARLIEST_TIMESTAMP, MAX_CLOCK_SKEW_MS, parseTimestamp } from '../core/time.js';
import { checkStandardProperties } from './standard-properties.js';

const checker = TypeCompiler.Compile(EventInputSchema);

export interface EventRejection {
  /** JSON pointer of the offending value inside the event, e.g. `/properties/rating`. */
  field: string;
  message: string;
}

export type ValidationResult = { ok: true; event: NormalizedEvent } | { ok: false; error: EventRejection };

export interface ValidationContext {
  workspaceId: string;
  now: number;
  maxEventBytes: number;
}

/**
 * Validates one raw event and normalises it for the log. Never throws: a bad event comes back with the
 * field and the reason, so a batch can keep its good events and report the bad ones.
 *
 * @example validateEvent({ type: 'track', event: 'Product Viewed', userId: 'u1', properties: { productId: 'p1' } }, ctx)
 */
export function validateEvent(raw: unknown, ctx: ValidationContext): ValidationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return reject('', 'an event must be a JSON object');
  if (!checker.Check(raw)) return reject(...firstSchemaError(raw));
  const input = raw as EventInput;
  for (const key of ['userId', 'anonymousId', 'previousId', 'messageId'] as const) {
    const id = input[key];
    if (id !== undefined && !isValidId(id)) return reject(`/${key}`, `${key} may hold letters, digits and _.:@-+/=#~ only (got ${truncate(JSON.stringify(id))})`);
  }
  if (input.userId === undefined && input.anonymousId === undefined) return reject('/userId', 'userId or anonymousId is required');
  if (input.type === 'track' && input.event === undefined) return reject('/event', 'a track event needs an event name');
  if (input.type === 'alias') {
    if (input.userId === undefined) return reject('/userId', 'alias needs the userId to merge into');
    if (input.previousId === undefined) return reject('/previousId', 'alias needs the previousId being merged');
  }
  const timestamp = input.timestamp === undefined ? ctx.now : parseTimestamp(input.timestamp);
  if (timestamp === undefined) return reject('/timestamp', `not a time: ${JSON.stringify(input.timestamp)} (use ISO 8601 or epoch ms)`);
  if (timestamp < EARLIEST_TIMESTAMP) return reject('/timestamp', 'timestamp is before 1990; is it in seconds where ms were meant, or the other way round?');
  if (timestamp > ctx.now + MAX_CLOCK_SKEW_MS) return reject('/timestamp', 'timestamp is more than a day in the future');
  const properties = input.properties ?? {};
  const traits = input.traits ?? {};
  const context = input.context ?? {};
  // Serialised once here, both to bound the size and so the write path need not serialise again.
  const encoded = { properties: JSON.stringify(properties), traits: JSON.stringify(traits), context: JSON.stringify(context) };
  const size = encoded.properties.length + encoded.traits.length + encoded.context.length;
  if (size > ctx.maxEventBytes) return reject('', `properties, traits and context hold ${size} characters of JSON; at most ${ctx.maxEventBytes} are accepted`);
  const event = input.type === 'track' ? input.event! : input.type === 'page' || input.type === 'screen' ? (input.name ?? input.type) : input.type;
  if (input.type === 'track') {
    const problem = checkStandardProperties(event, properties);
    if (problem) return reject(`/properties${problem.field}`, problem.message);
  }
  return {
    ok: true,
    event: {
      workspaceId: ctx.workspaceId,
      messageId: input.messageId ?? newUuid(),
      type: input.type,
      event,
      userId: input.userId ?? null,
      anonymousId: input.anonymousId ?? null,
      previousId: input.previousId ?? null,
      timestamp,
      receivedAt: ctx.now,
      channel: (input.context?.channel as Channel | undefined) ?? null,
      properties,
      traits,
      context,
      encoded,
    },
  };
}

function reject(field: string, message: string): { ok: false; error: EventRejection } {
  return { ok: false, error: { field, message } };
}

function firstSchemaError(raw: object): [string, string] {
  const errors = [...checker.Errors(raw)];
  // Prefer the most specific error: the deepest path (unions report the parent first).
  errors.sort((a, b) => b.path.length - a.path.length);
  const unknownKey = errors.find((e) => e.schema && (e.schema as { additionalProperties?: boolean }).additionalProperties === false);
  const error = unknownKey ?? errors[0];
  if (!error) return ['', 'event does not match the schema'];
  const value = error.value === undefined ? 'missing' : `got ${truncate(JSON.stringify(error.value))}`;
  const choices = (error.schema as { anyOf?: { const?: unknown }[] }).anyOf;
  if (choices?.every((c) => c.const !== undefined) && error.value !== undefined) {
    return [error.path, `must be one of ${choices.map((c) => String(c.const)).join(', ')} (${value})`];
  }
  return [error.path, `${error.message} (${value})`];
}

function truncate(text: string | undefined): string {
  if (text === undefined) return 'undefined';
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}
