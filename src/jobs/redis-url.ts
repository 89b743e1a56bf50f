/**
 * @module
 * Redis URLs of a job queue: `redis://[user:password@]host[:port][/db]` or `rediss://` (TLS).
 * Passwords are accepted and never shown: every message names the queue by `redactRedisUrl`.
 */
import { UsageError } from '../core/errors.js';

/** Environment variable read when `--queue` is not given (keeps a password out of `ps`). */
export const QUEUE_URL_ENV = 'LEANML_QUEUE';

/** Checks a queue URL and returns it unchanged; a bad one is a usage error (shown redacted). */
export function checkRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--queue: expected a Redis URL like redis://HOST:6379 or rediss://:PASSWORD@HOST:6380, got '${redactRedisUrl(url)}'`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`--queue: expected a redis:// or rediss:// URL, got '${u.protocol}//...'`);
  if (!u.hostname) throw new UsageError(`--queue: the URL '${redactRedisUrl(url)}' has no host`);
  if (u.pathname.length > 1 && !/^\/\d+$/.test(u.pathname))
    throw new UsageError(`--queue: the path of a Redis URL is a database number (/0 .. /15), got '${u.pathname}'`);
  return url;
}

/** The URL with its password (and user) replaced by `***`, for logs and error messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password || u.username) {
      u.username = u.username ? '***' : '';
      u.password = u.password ? '***' : '';
    }
    return u.toString();
  } catch {
    // not a URL: still never echo what may be a secret after '@'
    const at = url.lastIndexOf('@');
    return at >= 0 ? `***${url.slice(at)}` : url;
  }
}
