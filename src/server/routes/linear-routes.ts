/**
 * @module
 * Routes of linear classifiers (`--linear NAME=PATH`).
 */
import type { FastifyInstance } from 'fastify';
import { ERROR_RESPONSES, NAME_PARAMS } from '../schemas.js';
import { yieldingMap } from '../yielding-map.js';
import { runHeavy, type RouteContext } from './route-context.js';

/** Registers `/v1/linear/:name/predict`. */
export function registerLinearRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { registry, schemas } = ctx;
  app.post<{ Params: { name: string }; Body: { texts: string[] } }>(
    '/v1/linear/:name/predict',
    {
      schema: {
        tags: ['linear'],
        summary: 'Best label and score of each text',
        params: NAME_PARAMS,
        ...schemas.linearPredict,
        response: { ...schemas.linearPredict.response, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const model = registry.get('linear', req.params.name);
      const predictions = await runHeavy(ctx, reply, (signal) => yieldingMap(req.body.texts, (t) => model.predictText(t), { signal }));
      return { predictions };
    },
  );
}
