/**
 * @module
 * Random-access reading of binary files of any size (well past 4 GiB) with positioned reads:
 * nothing reads a whole file, every length taken from a file is bounded before it is used,
 * and every error names the file and the byte offset.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FormatError } from './errors.js';
import { MAX_IO_CALL } from './write-fully.js';

/** A file opened for positioned reads. Close it when done. */
export class BinaryFile {
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
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new FormatError(`${this.path}: invalid ${what} range at byte ${offset} (length ${length})`);
    }
    if (offset + length > this.size) {
      throw new FormatError(
        `${this.path}: truncated: ${what} needs bytes ${offset}..${offset + length} but the file has ${this.size} bytes`,
      );
    }
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

const WINDOW = 1 << 16;

/**
 * Sequential little-endian reads over a `BinaryFile`, buffered in 64 KiB windows.
 * Errors name the file and the byte offset of the value that could not be read.
 */
export class BinaryCursor {
  readonly file: BinaryFile;
  private pos: number;
  private buf = new Uint8Array(WINDOW);
  private view = new DataView(this.buf.buffer);
  private bufStart = 0;
  private bufLen = 0;

  constructor(file: BinaryFile, offset: number) {
    this.file = file;
    this.pos = offset;
  }

  /** Current byte offset in the file. */
  get offset(): number {
    return this.pos;
  }

  /** Bytes left between the cursor and the end of the file. */
  get remaining(): number {
    return this.file.size - this.pos;
  }

  seek(offset: number): void {
    this.pos = offset;
  }

  skip(n: number, what = 'data'): void {
    this.file.checkRange(this.pos, n, what);
    this.pos += n;
  }

  private ensure(n: number, what: string): number {
    if (this.pos < this.bufStart || this.pos + n > this.bufStart + this.bufLen) {
      this.file.checkRange(this.pos, n, what);
      const len = Math.min(WINDOW, this.file.size - this.pos);
      this.file.read(this.pos, len, this.buf);
      this.bufStart = this.pos;
      this.bufLen = len;
    }
    const at = this.pos - this.bufStart;
    this.pos += n;
    return at;
  }

  u8(what = 'u8'): number {
    return this.buf[this.ensure(1, what)]!;
  }
  i8(what = 'i8'): number {
    return this.view.getInt8(this.ensure(1, what));
  }
  i32(what = 'i32'): number {
    return this.view.getInt32(this.ensure(4, what), true);
  }
  u32(what = 'u32'): number {
    return this.view.getUint32(this.ensure(4, what), true);
  }
  /** A signed 64-bit integer; refuses values outside the safe integer range. */
  i64(what = 'i64'): number {
    const start = this.pos;
    const v = this.view.getBigInt64(this.ensure(8, what), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new FormatError(`${this.file.path}: ${what} at byte ${start} is out of range (${v})`);
    }
    return Number(v);
  }
  f32(what = 'f32'): number {
    return this.view.getFloat32(this.ensure(4, what), true);
  }
  f64(what = 'f64'): number {
    return this.view.getFloat64(this.ensure(8, what), true);
  }

  /** `n` bytes copied out; `n` is bounded by the file size before anything is allocated. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.file.checkRange(this.pos, n, what);
    if (n <= WINDOW) return this.buf.slice(this.ensure(n, what), this.pos - this.bufStart);
    const out = this.file.read(this.pos, n);
    this.pos += n;
    return out;
  }

  /**
   * Bytes up to (not including) the next `terminator` byte, which is consumed.
   * Refuses strings longer than `maxLength` bytes.
   */
  until(terminator: number, maxLength: number, what = 'string'): Uint8Array {
    const start = this.pos;
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      if (this.pos >= this.file.size) throw new FormatError(`${this.file.path}: truncated: ${what} starting at byte ${start} has no terminator`);
      const at = this.ensure(1, what);
      this.pos -= 1;
      const end = this.bufLen;
      let i = at;
      while (i < end && this.buf[i] !== terminator) i++;
      const chunk = this.buf.subarray(at, i);
      total += chunk.length;
      if (total > maxLength) throw new FormatError(`${this.file.path}: ${what} at byte ${start} is longer than ${maxLength} bytes`);
      parts.push(chunk.slice());
      this.pos += i - at;
      if (i < end) {
        this.pos += 1;
        break;
      }
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
