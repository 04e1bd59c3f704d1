import { createHash } from 'node:crypto';
import type { EventInput } from '../../core/events.js';
import { type MembershipChange, SEGMENT_ENTERED, SEGMENT_EXITED } from './segment-types.js';

/**
 * The event a membership change is written as: a `track` named `Segment Entered` or `Segment Exited`
 * for the user (or the anonymous visitor), properties `{ segmentId }`, at the time of the crossing.
 * The message id is derived from the change and its cause, so a change evaluated again after a restart
 * (the log replayed past the last snapshot) is stored once: the event log drops the repeat.
 *
 * @example segmentEvent({ workspaceId: 'shop', segmentId: 'vip', user: 'u1', anonymous: false, change: 'entered', at, cause: 'e42' })
 */
export function segmentEvent(c: MembershipChange): EventInput {
  const messageId = 'seg-' + createHash('sha1').update([c.workspaceId, c.segmentId, c.user, c.change, c.cause].join('\u001f')).digest('base64url').slice(0, 27);
  return {
    type: 'track', event: c.change === 'entered' ? SEGMENT_ENTERED : SEGMENT_EXITED,
    ...(c.anonymous ? { anonymousId: c.user } : { userId: c.user }),
    properties: { segmentId: c.segmentId }, timestamp: c.at, messageId,
  };
}
