/**
 * @module
 * Random-access reading of binary files of any size (well past 4 GiB) with positioned reads:
 * nothing reads a whole file, every length taken from a file is bounded before it is used,
 * and every error names the file and the byte offset.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BinaryCursor, checkSourceRange, type ByteSource } from './byte-source.js';
import { FormatError } from './errors.js';
import { MAX_IO_CALL } from './write-fully.js';

export { BinaryCursor, type ByteSource } from './byte-source.js';

/** A file opened for positioned reads. Close it when done. */
export class BinaryFile implements ByteSource {
  readonly path: string;
  readonly size: number;
  private fd: number | null;

  private constructor(path: string, fd: number, size: number) {
    this.path = path;
    this.fd = fd;
    this.size = size;
  }

  /** Opens `path` for reading. */
  static open(path: string): BinaryFile {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new FormatError(`${path}: not a regular file`);
      return new BinaryFile(path, fd, st.size);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /**
   * Reads exactly `length` bytes at `offset` into `target` (or a new buffer).
   * Refuses, before allocating, a range that runs past the end of the file.
   */
  read(offset: number, length: number, target?: Uint8Array): Uint8Array {
    this.checkRange(offset, length);
    const out = target ?? new Uint8Array(length);
    if (out.byteLength < length) throw new RangeError(`read: target of ${out.byteLength} bytes is smaller than ${length}`);
    let done = 0;
    while (done < length) {
      // one readSync call takes at most 2 GiB - 1 (its length is an int32): read large
      // sections (the f32 word matrix of a cc.en.300-sized store is 2.4 GB) in 1 GiB calls
      const n = readSync(this.fd!, out, done, Math.min(length - done, MAX_IO_CALL), offset + done);
      if (n === 0) throw new FormatError(`${this.path}: unexpected end of file at byte ${offset + done} (file changed while reading?)`);
      done += n;
    }
    return out;
  }

  /** Throws a `FormatError` naming the file if `[offset, offset + length)` is not inside it. */
  checkRange(offset: number, length: number, what = 'data'): void {
    if (this.fd === null) throw new Error(`${this.path}: file is closed`);
    checkSourceRange(this, offset, length, what);
  }

  /** A sequential reader starting at `offset`. */
  cursor(offset = 0): BinaryCursor {
    return new BinaryCursor(this, offset);
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
