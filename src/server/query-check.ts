/**
 * @module
 * Percent-encoded query strings are decoded leniently by the router (a `%FF` stays as is or
 * becomes U+FFFD), which would look up a word the client never meant. This check refuses a
 * query whose escapes do not decode to UTF-8, naming the offending parameter.
 */
import { FormatError } from '../core/errors.js';

/** Throws `FormatError` if a `name=value` pair of the raw URL's query is not valid percent-encoded UTF-8. */
export function checkQueryEncoding(rawUrl: string): void {
  const q = rawUrl.indexOf('?');
  if (q < 0) return;
  for (const pair of rawUrl.slice(q + 1).split('&')) {
    if (!pair.includes('%')) continue;
    try {
      decodeURIComponent(pair.replace(/\+/g, ' '));
    } catch {
      const name = pair.split('=')[0]!.slice(0, 40);
      throw new FormatError(`query parameter '${name}' is not valid percent-encoded UTF-8`);
    }
  }
}
