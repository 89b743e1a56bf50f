/**
 * @module
 * Builds the fastify app of `leanml serve` around a `ModelRegistry`: strict JSON parsing,
 * schema validation, body limits, one error mapping, request logging, the heavy-request
 * bound, load shedding while shutting down, OpenAPI, and the try-it page.
 */
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import pino from 'pino';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { BusyError, NotFoundError } from '../core/errors.js';
import { requireApiKey } from './api-key.js';
import { VERSION } from '../version.js';
import { ERROR_SCHEMA, errorReply } from './error-reply.js';
import { HeavyLimiter } from './heavy-limiter.js';
import type { ModelRegistry } from './model-registry.js';
import { checkQueryEncoding } from './query-check.js';
import { registerFileRoutes } from './routes/file-routes.js';
import { registerInfoRoutes } from './routes/info-routes.js';
import { registerLinearRoutes } from './routes/linear-routes.js';
import { registerPageRoutes } from './routes/page-routes.js';
import type { RouteContext } from './routes/route-context.js';
import { registerSpeakerRoutes } from './routes/speaker-routes.js';
import { registerVectorsRoutes } from './routes/vectors-routes.js';
import { buildSchemas } from './schemas.js';
import { DEFAULT_LIMITS, type ServeLimits } from './serve-limits.js';
import { parseJsonBody } from './strict-json-parser.js';

/** Options of `createServer`. */
export interface ServerOptions {
  /** Request bounds; unset fields keep `DEFAULT_LIMITS`. */
  limits?: Partial<ServeLimits>;
  /** `silent` turns logging off; default `info` (one line per request). */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Where JSON log lines go; default stderr. */
  logStream?: NodeJS.WritableStream;
  /** Longest a request may take from first byte to answer, ms (default 120 s; guards slow uploads). */
  requestTimeoutMs?: number;
  /** When set, every route but `GET /health` needs `Authorization: Bearer <apiKey>` (see `requireApiKey`). */
  apiKey?: string;
  /** Origins allowed to call from a browser (CORS); default none: no CORS headers at all. */
  corsOrigins?: string[];
  /** A directory whose files are served under `/files/` for range reads (absolute path). */
  files?: string;
}

/** The request log's level unless told (`leanml serve --log-level`). */
export const DEFAULT_LOG_LEVEL: NonNullable<ServerOptions['logLevel']> = 'info';

/** The fastify app serving `registry`; not yet listening. */
export async function createServer(registry: ModelRegistry, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const level = opts.logLevel ?? DEFAULT_LOG_LEVEL;
  // stderr through an asynchronous destination: writes issued while one is in flight are
  // coalesced, so under load logging costs a few syscalls instead of one per request
  // (profiled: synchronous per-line writes took as much CPU as the neighbour searches).
  const dest = level !== 'silent' && !opts.logStream ? pino.destination({ dest: 2, sync: false, minLength: 0 }) : undefined;
  const app = Fastify({
    logger: level === 'silent' ? false : { level, stream: opts.logStream ?? dest },
    logController: new LogController({ disableRequestLogging: true }), // one line per request, written in onResponse below
    bodyLimit: limits.bodyLimit,
    requestTimeout: opts.requestTimeoutMs ?? 120_000,
    return503OnClosing: false, // our own hook answers 503 in the documented error shape
    // Strict types: "k": "5" or "words": "cat" are client bugs to report, not to guess at.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    frameworkErrors: (err, req, reply) => sendError(err, req, reply),
  });

  if (opts.apiKey) requireApiKey(app, opts.apiKey, { allowPreflight: (opts.corsOrigins?.length ?? 0) > 0 });
  if (opts.corsOrigins?.length) await app.register(cors, { origin: opts.corsOrigins, allowedHeaders: ['authorization', 'content-type'], maxAge: 600 });

  if (dest) {
    app.addHook('onClose', async () => {
      try {
        dest.flushSync();
      } catch {
        // nothing pending or stderr gone: nothing to flush
      }
    });
  }

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (req) => {
    if (closing) throw new BusyError('server is shutting down');
    checkQueryEncoding(req.raw.url ?? '');
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    // while draining, every answer closes its connection so keep-alive clients move on
    // and server.close() can finish as soon as the in-flight requests are answered
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ method: req.method, url: req.url, status: reply.statusCode, ms: Number(reply.elapsedTime.toFixed(2)) }, 'request');
  });

  // JSON only: a text/plain body would otherwise reach validation as a string ("body must be object")
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.setErrorHandler((err, req, reply) => sendError(err, req, reply));
  app.setNotFoundHandler((req, reply) => sendError(new NotFoundError(`no route ${req.method} ${req.url.slice(0, 200)} (see GET /openapi.json)`), req, reply));

  app.addSchema(ERROR_SCHEMA);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'leanml serve',
        version: VERSION,
        description: 'One HTTP service for leanml models. Errors are `{"error": {"code", "message"}}` with a 4xx/5xx status.',
      },
      tags: [{ name: 'service' }, { name: 'vectors' }, { name: 'linear' }, { name: 'speaker' }],
    },
    // keep schema names ("Error") instead of def-0 in components
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });

  const ctx: RouteContext = { registry, limits, limiter: new HeavyLimiter(limits.maxConcurrent), schemas: buildSchemas(limits) };
  registerInfoRoutes(app, ctx);
  registerPageRoutes(app);
  registerVectorsRoutes(app, ctx);
  registerLinearRoutes(app, ctx);
  await registerSpeakerRoutes(app, ctx);
  if (opts.files) await registerFileRoutes(app, opts.files);
  await app.ready();
  return app;
}

/** The one place a request's error becomes an answer. */
function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = errorReply(err, { bodyLimit: req.routeOptions?.bodyLimit });
  if (status >= 500 && status !== 503) req.log.error({ err }, 'request failed');
  if (status === 503) reply.header('retry-after', '1');
  // the rest of a refused body may still be arriving: do not read it, close after answering
  if (status === 413) reply.header('connection', 'close');
  void reply.code(status).send(body);
}
