/**
 * @module
 * Routes of speaker detectors (`--speaker NAME=DIR`): the request body is an audio file
 * (WAV, or anything the audio module decodes through ffmpeg), sent as
 * `application/octet-stream` or an `audio/*` type. The body is streamed to a temporary file
 * (bounded by the audio limit), which the detector then streams through its pipeline.
 */
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { LimitError } from '../../core/errors.js';
import { ERROR_RESPONSES, NAME_PARAMS } from '../schemas.js';
import { uploadToFile } from '../upload-to-file.js';
import { runHeavy, type RouteContext } from './route-context.js';

/** Registers `/v1/speaker/:name/detect` in its own scope (it has its own body parser and limit). */
export async function registerSpeakerRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { registry, schemas, limits } = ctx;
  await app.register(async (scope) => {
    // hand the raw stream to the handler: it is written to disk, never buffered whole
    const passStream = (_req: unknown, payload: Readable, done: (err: null, body: Readable) => void) => done(null, payload);
    scope.addContentTypeParser('application/octet-stream', passStream);
    scope.addContentTypeParser(/^audio\/[a-z0-9.+-]+$/, passStream);
    scope.post<{ Params: { name: string }; Querystring: { threshold?: string }; Body: Readable }>(
      '/v1/speaker/:name/detect',
      {
        bodyLimit: limits.audioBodyLimit,
        schema: {
          tags: ['speaker'],
          summary: 'Where the target speaker talks in the uploaded recording',
          consumes: ['application/octet-stream', 'audio/wav', 'audio/mpeg'],
          params: NAME_PARAMS,
          ...schemas.speakerDetect,
          response: { ...schemas.speakerDetect.response, ...ERROR_RESPONSES },
        },
      },
      async (req, reply) => {
        const model = registry.get('speaker', req.params.name);
        const declared = Number(req.headers['content-length']);
        if (declared > limits.audioBodyLimit) throw new LimitError(`request body is too large (this route accepts at most ${limits.audioBodyLimit} bytes)`);
        const threshold = req.query.threshold === undefined ? undefined : Number(req.query.threshold);
        return runHeavy(ctx, reply, async (signal) => {
          const upload = await uploadToFile(req.body, limits.audioBodyLimit, { signal });
          try {
            return await model.detect(upload.path, { threshold, signal });
          } finally {
            await upload.dispose();
          }
        });
      },
    );
  });
}
