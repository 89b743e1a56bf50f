/**
 * @module
 * Writing a whole buffer with `writeSync`, however large: one call takes at most 2 GiB - 1
 * bytes (its length is an int32), and the word matrix of a cc.en.300-sized store is 2.4 GB.
 */
import { writeSync } from 'node:fs';

/** Bytes per `readSync`/`writeSync` call: under Node's 2 GiB limit. */
export const MAX_IO_CALL = 2 ** 30;

/**
 * Writes all of `bytes` to `fd` in calls of at most {@link MAX_IO_CALL} bytes, at `position`
 * (positioned writes) or at the file's current offset when `position` is omitted.
 */
export function writeFullySync(fd: number, bytes: Uint8Array, position?: number): void {
  let done = 0;
  while (done < bytes.byteLength) {
    const len = Math.min(bytes.byteLength - done, MAX_IO_CALL);
    done += position === undefined ? writeSync(fd, bytes, done, len) : writeSync(fd, bytes, done, len, position + done);
  }
}
