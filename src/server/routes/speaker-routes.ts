/**
 * @module
 * Routes of speaker detectors (`--speaker NAME=DIR`): the request body is an audio file
 * (WAV, or anything the audio module can decode), sent as `application/octet-stream` or an
 * `audio/*` type, bounded by the audio body limit.
 */
import type { FastifyInstance } from 'fastify';
import { ERROR_RESPONSES, NAME_PARAMS } from '../schemas.js';
import { runHeavy, type RouteContext } from './route-context.js';

/** Registers `/v1/speaker/:name/detect` in its own scope (it has its own body parser and limit). */
export async function registerSpeakerRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { registry, schemas, limits } = ctx;
  await app.register(async (scope) => {
    // The body is buffered (bounded by audioBodyLimit) rather than streamed to the model:
    // decoders need the whole container (WAV sizes, ffmpeg probing) anyway.
    const keepBuffer = (_req: unknown, body: string | Buffer, done: (err: null, body: Buffer) => void) => done(null, body as Buffer);
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: limits.audioBodyLimit }, keepBuffer);
    scope.addContentTypeParser(/^audio\/[a-z0-9.+-]+$/, { parseAs: 'buffer', bodyLimit: limits.audioBodyLimit }, keepBuffer);
    scope.post<{ Params: { name: string }; Querystring: { threshold?: string }; Body: Buffer }>(
      '/v1/speaker/:name/detect',
      {
        bodyLimit: limits.audioBodyLimit,
        schema: { tags: ['speaker'], summary: 'Where the target speaker talks in the uploaded recording', consumes: ['application/octet-stream', 'audio/wav'], params: NAME_PARAMS, ...schemas.speakerDetect, response: { ...schemas.speakerDetect.response, ...ERROR_RESPONSES } },
      },
      async (req, reply) => {
        const model = registry.get('speaker', req.params.name);
        const threshold = req.query.threshold === undefined ? undefined : Number(req.query.threshold);
        return runHeavy(ctx, reply, (signal) => model.detect(new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength), { threshold, signal }));
      },
    );
  });
}
