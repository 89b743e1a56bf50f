/**
 * @module
 * Streaming line input: a file path or `-` (stdin), read as lines without loading the whole
 * input, each line numbered so that parse errors can say `file:line`.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Opens `path` for reading; `-` or undefined means stdin. */
export function openInput(path: string | undefined): Readable {
  return path === undefined || path === '-' ? process.stdin : createReadStream(path);
}

/** A display name for an input path in error messages. */
export function inputName(path: string | undefined): string {
  return path === undefined || path === '-' ? '<stdin>' : path;
}

/** Yields the lines of `path` (or stdin) without their line endings. */
export async function* readLines(path: string | undefined): AsyncGenerator<string> {
  const rl = createInterface({ input: openInput(path), crlfDelay: Infinity });
  for await (const line of rl) yield line;
}
