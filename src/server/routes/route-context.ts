/**
 * @module
 * What every route module receives, and the wrapper for heavy handlers.
 */
import type { FastifyReply } from 'fastify';
import type { HeavyLimiter } from '../heavy-limiter.js';
import type { ModelRegistry } from '../model-registry.js';
import type { RouteSchemas } from '../schemas.js';
import type { ServeLimits } from '../serve-limits.js';

/** The server state routes read (never mutate). */
export interface RouteContext {
  registry: ModelRegistry;
  limits: ServeLimits;
  limiter: HeavyLimiter;
  schemas: RouteSchemas;
}

/**
 * Runs heavy work under the limiter with a signal that aborts when the client disconnects
 * before the answer is written.
 */
export function runHeavy<T>(ctx: RouteContext, reply: FastifyReply, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return ctx.limiter.run(async () => {
    const ac = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) ac.abort();
    };
    reply.raw.once('close', onClose);
    try {
      return await work(ac.signal);
    } finally {
      reply.raw.off('close', onClose);
    }
  });
}
