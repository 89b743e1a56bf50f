/**
 * @module
 * `GET /files/<name>`: the files of one directory served for range reads (`Range`, `206`,
 * `416`, `Accept-Ranges`, `ETag`), so that a page reads a compact store by HTTP range requests
 * (`leanml/fasttext/web`). Paths outside the directory and dot files are refused; no listings.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors.js';
import { errorReply } from '../error-reply.js';

/** URL prefix of the served files. */
export const FILES_PREFIX = '/files/';

/** Registers the static route for `dir` (an absolute path). */
export async function registerFileRoutes(app: FastifyInstance, dir: string): Promise<void> {
  await app.register(async (files) => {
    // a range past the end: 416 with the file's size in Content-Range (RFC 9110 15.5.17);
    // refused paths (dot files, escapes) answer 404 like missing files, saying nothing more
    files.setErrorHandler(async (err, req, reply) => {
      const e = err as { status?: number; statusCode?: number; headers?: Record<string, string> };
      const status = e.status ?? e.statusCode;
      if (status !== 416) {
        const known = status === 403 || status === 404 || status === 400 ? new NotFoundError(`no file ${req.url.slice(0, 200)}`) : err;
        const { status: code, body } = errorReply(known);
        return reply.code(code).send(body);
      }
      const range = e.headers?.['Content-Range'] ?? e.headers?.['content-range'];
      if (range) reply.header('content-range', range);
      return reply
        .code(416)
        .send({ error: { code: 'range', message: `range not satisfiable (the file is ${range?.replace('bytes */', '') ?? 'smaller'} bytes)` } });
    });
    await registerStatic(files, dir);
  });
}

async function registerStatic(app: FastifyInstance, dir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: dir,
    prefix: FILES_PREFIX,
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    acceptRanges: true,
    etag: true,
    lastModified: true,
    // a store changes only when converted again; clients revalidate with the ETag
    cacheControl: true,
    maxAge: 0,
    schemaHide: true,
    setHeaders: (res) => {
      // pages on other origins may read the files, headers included (Content-Range gives the size)
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-expose-headers', 'content-range, content-length, accept-ranges, etag');
      res.setHeader('x-content-type-options', 'nosniff');
    },
  });
}
