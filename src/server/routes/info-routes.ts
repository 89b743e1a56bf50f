/**
 * @module
 * `GET /health`, `GET /models` and `GET /openapi.json`.
 */
import type { FastifyInstance } from 'fastify';
import { VERSION } from '../../version.js';
import type { RouteContext } from './route-context.js';

/** Registers the routes that describe the server. */
export function registerInfoRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const started = Date.now();
  app.get(
    '/health',
    {
      schema: {
        tags: ['service'],
        summary: 'Liveness and load',
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string' },
              version: { type: 'string' },
              uptimeSeconds: { type: 'number' },
              models: { type: 'integer' },
              heavyInFlight: { type: 'integer' },
              heavyLimit: { type: 'integer' },
            },
          },
        },
      },
    },
    async () => ({
      status: 'ok',
      version: VERSION,
      uptimeSeconds: (Date.now() - started) / 1000,
      models: ctx.registry.size,
      heavyInFlight: ctx.limiter.active,
      heavyLimit: ctx.limiter.max,
    }),
  );

  app.get(
    '/models',
    {
      schema: {
        tags: ['service'],
        summary: 'The loaded models',
        response: {
          200: {
            type: 'object',
            properties: {
              models: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    kind: { type: 'string', enum: ['vectors', 'linear', 'speaker'] },
                    dim: { type: 'integer' },
                    supervised: { type: 'boolean' },
                    labels: { type: 'array', items: { type: 'string' } },
                  },
                  required: ['name', 'kind'],
                },
              },
              limits: {
                type: 'object',
                properties: {
                  maxK: { type: 'integer' },
                  maxBatch: { type: 'integer' },
                  maxTextLength: { type: 'integer' },
                  maxWordLength: { type: 'integer' },
                  bodyLimit: { type: 'integer' },
                  audioBodyLimit: { type: 'integer' },
                },
              },
            },
          },
        },
      },
    },
    async () => ({ models: ctx.registry.describe(), limits: ctx.limits }),
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
