/**
 * @module
 * Access control of `leanml serve` for use beyond one machine: with an API key, every route
 * but `GET /health` needs `Authorization: Bearer KEY` (compared in constant time, on SHA-256
 * digests so neither the length nor a prefix leaks); anything else gets 401 before its body
 * is read. `isLoopbackHost` tells whether a listen address is reachable only from this machine.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { UsageError } from '../core/errors.js';

/** Environment variable `serve` reads the key from when `--api-key` is not given. */
export const API_KEY_ENV = 'LEANML_API_KEY';
/** Shortest key accepted: a guessable key is no key. */
export const MIN_API_KEY_LENGTH = 16;

/** Routes answered without a key (load balancers' health checks). */
const OPEN_PATHS = new Set(['/health']);

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Checks a key's shape; the message never contains the key. */
export function checkApiKey(key: string): string {
  if (key.length < MIN_API_KEY_LENGTH)
    throw new UsageError(`serve: the API key must be at least ${MIN_API_KEY_LENGTH} characters (got ${key.length}); make one with: openssl rand -hex 32`);
  if (/\s/.test(key)) throw new UsageError('serve: the API key must not contain spaces or line breaks');
  return key;
}

/** Makes every route of `app` but the open ones require `Authorization: Bearer <key>`. */
export function requireApiKey(app: FastifyInstance, key: string, opts: { allowPreflight?: boolean } = {}): void {
  const want = digest(checkApiKey(key));
  app.addHook('onRequest', async (req, reply) => {
    const path = (req.raw.url ?? '').split('?')[0]!;
    if (OPEN_PATHS.has(path) && (req.method === 'GET' || req.method === 'HEAD')) return;
    // browsers send CORS preflights without credentials; they reveal nothing and run no model
    if (opts.allowPreflight && req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) return;
    const m = /^Bearer +(\S+) *$/.exec(req.headers.authorization ?? '');
    if (m && timingSafeEqual(digest(m[1]!), want)) return;
    const message = m ? 'the API key is not valid' : 'this server needs an API key: send the header Authorization: Bearer KEY';
    // the body (maybe a large upload) is not read: close after answering
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="leanml"')
      .header('connection', 'close')
      .send({ error: { code: 'unauthorized', message } });
  });
}

/** Whether `host` (a listen address) accepts connections from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}
