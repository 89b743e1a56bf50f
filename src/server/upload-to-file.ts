/**
 * @module
 * Streams a request body into a private temporary file, counting bytes as they arrive and
 * stopping at a limit, so an audio upload never sits whole in memory and decoders that need
 * a file (ffmpeg, WAV seeks) get one. The caller removes the file with the returned `dispose`.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FormatError, LimitError } from '../core/errors.js';

/** Writes `body` to a new temporary file of at most `limit` bytes; empty bodies are refused. */
export async function uploadToFile(
  body: Readable,
  limit: number,
  opts: { signal?: AbortSignal } = {},
): Promise<{ path: string; bytes: number; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'leanml-upload-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, 'audio');
  try {
    const bytes = await copyBounded(body, createWriteStream(path, { mode: 0o600 }), limit, opts.signal);
    if (bytes === 0) throw new FormatError('the request body is empty; send the audio file as the body');
    return { path, bytes, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/**
 * Copies `from` into `to` with backpressure. Past `limit` it stops reading and rejects with
 * `LimitError` *without destroying* `from`: the request socket must stay open long enough to
 * carry the 413 answer (which closes the connection).
 */
function copyBounded(from: Readable, to: WriteStream, limit: number, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const finish = (err: unknown) => {
      from.off('data', onData).off('end', onEnd).off('error', finish);
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        from.pause();
        to.destroy();
        reject(err);
      }
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) return finish(new LimitError(`request body is too large (this route accepts at most ${limit} bytes)`));
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    };
    const onEnd = () => {
      finish(null);
      to.end(() => resolve(bytes));
    };
    const onAbort = () => finish(new Error('upload aborted'));
    from.on('data', onData).once('end', onEnd).once('error', finish);
    to.once('error', finish);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
