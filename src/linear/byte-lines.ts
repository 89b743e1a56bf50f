/**
 * @module
 * Streaming line input on raw bytes: a file (or stdin) is read in large chunks and each line
 * is handed to a callback as a byte range of a reused buffer, numbered from 1, so parsers
 * work on bytes and never load the whole input.
 */
import { open } from 'node:fs/promises';
import { FormatError } from '../core/errors.js';

/** Called once per line with `buf[start, end)` (no line ending) and its 1-based number. */
export type LineCallback = (buf: Buffer, start: number, end: number, lineNo: number) => void;

/** Longest line accepted (bytes): a bound on the buffer we grow to hold one line. */
export const MAX_LINE_BYTES = 256 << 20;

/** Bytes read at a time: large enough that system calls cost nothing, small enough to stay in cache. */
const CHUNK = 1 << 20;

/**
 * Reads `path` (`-` or undefined = stdin) line by line. A final line without `\n` counts;
 * a trailing `\r` is dropped. `afterChunk` is awaited after each chunk's lines (e.g. to let output
 * drain). Returns the number of lines.
 */
export async function forEachLine(path: string | undefined, onLine: LineCallback, afterChunk?: () => Promise<void> | void): Promise<number> {
  let buf = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  let lineNo = 0;
  const name = path === undefined || path === '-' ? '<stdin>' : path;

  // Hands over every complete line in buf[0, filled); keeps the partial tail at the front.
  const drain = (final: boolean): void => {
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0 || nl >= filled) break;
      let end = nl;
      if (end > start && buf[end - 1] === 13) end--;
      onLine(buf, start, end, ++lineNo);
      start = nl + 1;
    }
    if (final && start < filled) {
      let end = filled;
      if (end > start && buf[end - 1] === 13) end--;
      onLine(buf, start, end, ++lineNo);
      start = filled;
    }
    if (start > 0) {
      buf.copy(buf, 0, start, filled);
      filled -= start;
    }
    if (filled === buf.length) {
      if (buf.length >= MAX_LINE_BYTES) throw new FormatError(`${name}:${lineNo + 1}: line longer than ${MAX_LINE_BYTES} bytes`);
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
  };

  if (path === undefined || path === '-') {
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(chunk.length - off, buf.length - filled);
        chunk.copy(buf, filled, off, off + n);
        filled += n;
        off += n;
        drain(false);
        if (afterChunk) await afterChunk();
      }
    }
  } else {
    const fh = await open(path, 'r');
    try {
      for (;;) {
        const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
        drain(false);
        if (afterChunk) await afterChunk();
      }
    } finally {
      await fh.close();
    }
  }
  drain(true);
  return lineNo;
}
