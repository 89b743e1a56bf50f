/**
 * @module
 * `withInputFile`: lets file-based readers take standard input (`-`), by spooling it to a
 * temporary file that is removed afterwards (decoders need to seek or to hand a path to ffmpeg).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

/** Calls `fn` with `path`, or, when `path` is `-` or undefined, with a temp file holding `stdin`. */
export async function withInputFile<T>(path: string | undefined, fn: (path: string) => Promise<T>, stdin: Readable = process.stdin): Promise<T> {
  if (path !== undefined && path !== '-') return fn(path);
  const dir = mkdtempSync(join(tmpdir(), 'leanml-stdin-'));
  try {
    const file = join(dir, 'stdin');
    await pipeline(stdin, createWriteStream(file));
    try {
      return await fn(file);
    } catch (err) {
      // Name the input as the user knows it.
      if (err instanceof Error) err.message = err.message.split(file).join('<stdin>');
      throw err;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
