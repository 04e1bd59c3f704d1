import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A random RFC 4122 v4 id, used for server-assigned message ids. */
export function newUuid(): string {
  return randomUUID();
}

/** A random url-safe token of `bytes` bytes of entropy (used for API key secrets). */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** Hex SHA-256 of a string; API keys are high-entropy, so a fast hash is the right one to store. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A stable id derived from content, so that importing the same row twice yields the same message id.
 *
 * @example stableId('movielens', 'u.data', 17, '196\t242\t3\t881250949') // 'imp-4f1c…'
 */
export function stableId(...parts: (string | number)[]): string {
  return 'imp-' + createHash('sha1').update(parts.join('\u001f')).digest('hex').slice(0, 32);
}

const ID_PATTERN = /^[\p{L}\p{N}_.:@\-+/=#~]{1,128}$/u;

/** True when `id` is usable as a user, item, workspace or message id: 1–128 letters, digits or `_.:@-+/=#~`. */
export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}
