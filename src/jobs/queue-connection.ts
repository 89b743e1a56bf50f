/**
 * @module
 * Opens a leanml job queue on Redis: checks first that Redis answers (a clear error instead
 * of endless reconnects), then that the queue was made by this leanml version (workers of
 * another version could write different results), then hands back a BullMQ `Queue`.
 */
import { hostname } from 'node:os';
import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { LeanmlError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { checkRedisUrl, redactRedisUrl } from './redis-url.js';

/** Settings shared by `jobs` and `worker`; printed by `--help`. */
export const DEFAULT_QUEUE = Object.freeze({
  /** Queue name within the Redis database. */
  name: 'leanml',
  /** Key prefix of every key leanml's queues use. */
  prefix: 'leanml',
  /** How long to wait for Redis to answer before giving up, ms. */
  connectTimeoutMs: 5000,
});

/** Redis is unreachable, or the queue is not one this leanml can use. */
export class QueueError extends LeanmlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('queue', message, options);
  }
}

/** An open queue and what it was opened with. */
export interface OpenQueue {
  queue: Queue;
  /** Connection options for further BullMQ objects (workers) on the same Redis. */
  connection: ConnectionOptions;
  /** A plain client for leanml's own keys. */
  client: Redis;
  /** The URL with its password hidden, for messages. */
  where: string;
  name: string;
  prefix: string;
  close(): Promise<void>;
}

/** Key of the hash recording which leanml version owns a queue. */
export function metaKey(prefix: string, name: string): string {
  return `${prefix}:${name}:leanml-meta`;
}

/**
 * Connects to the queue `name` at `url`. With `create`, a queue that does not exist yet is
 * stamped with this leanml's version; otherwise (and always for a queue that exists) the
 * stamp must match.
 */
export async function openQueue(url: string, opts: { name?: string; create?: boolean; connectTimeoutMs?: number } = {}): Promise<OpenQueue> {
  checkRedisUrl(url);
  const name = opts.name ?? DEFAULT_QUEUE.name;
  const prefix = DEFAULT_QUEUE.prefix;
  const where = redactRedisUrl(url);
  const timeout = opts.connectTimeoutMs ?? DEFAULT_QUEUE.connectTimeoutMs;
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeout, maxRetriesPerRequest: 1, retryStrategy: () => null, enableOfflineQueue: false });
  // the socket's own error (refused, TLS, DNS) arrives as an event; connect() only says "closed"
  let socketError: unknown = null;
  client.on('error', (err) => (socketError ??= err)); // reported below, never printed with the URL
  try {
    await withTimeout(client.connect(), timeout);
    await client.ping();
  } catch (err) {
    client.disconnect();
    const cause = socketError ?? err;
    throw new QueueError(
      `cannot reach Redis at ${where} from ${hostname()}: ${describeRedisError(cause)} (is redis-server running there, and is the port open to this machine?)`,
      { cause },
    );
  }
  const key = metaKey(prefix, name);
  let owner = await client.hget(key, 'version');
  if (owner === null) {
    if (!opts.create) {
      client.disconnect();
      throw new QueueError(`no leanml queue '${name}' at ${where}: submit jobs first (leanml jobs submit), or pass the --name it was submitted with`);
    }
    await client.hsetnx(key, 'version', VERSION);
    await client.hsetnx(key, 'created', new Date().toISOString());
    owner = await client.hget(key, 'version');
  }
  if (owner !== VERSION) {
    client.disconnect();
    throw new QueueError(
      `queue '${name}' at ${where} holds jobs of leanml ${owner}; this is leanml ${VERSION}. Run workers of leanml ${owner} to finish it, or use another --name for this version`,
    );
  }
  const connection: ConnectionOptions = { url, maxRetriesPerRequest: null, connectTimeout: timeout };
  const queue = new Queue(name, { connection, prefix });
  queue.on('error', () => {}); // connection drops are retried by BullMQ; operations that fail reject on their own
  return {
    queue,
    connection,
    client,
    where,
    name,
    prefix,
    async close() {
      await queue.close();
      client.disconnect();
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e as Error)),
    );
  });
}

function describeRedisError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ENOTFOUND') return 'host not found';
  if (e.code === 'ETIMEDOUT') return 'connection timed out';
  const msg = e.message ?? String(err);
  if (/WRONGPASS|NOAUTH|invalid password/i.test(msg)) return 'authentication failed (check the password in the URL)';
  return msg;
}
