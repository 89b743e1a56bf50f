/**
 * @module
 * Random-access bytes from anywhere: `ByteSource` is what the model readers parse (a file opened
 * with `BinaryFile` in Node, an `ArrayBuffer` with `MemorySource` anywhere, browsers included),
 * and `BinaryCursor` reads little-endian values from one. Nothing here needs Node.
 */
import { FormatError } from './errors.js';

/** Synchronous random access to a sized run of bytes. Readers never read past `size`. */
export interface ByteSource {
  /** Name used in error messages (a file path, a URL). */
  readonly path: string;
  readonly size: number;
  /**
   * Exactly `length` bytes at `offset`, copied into `target` when given. Without a target the
   * result may be a view of the source's own memory: callers must not write to it.
   */
  read(offset: number, length: number, target?: Uint8Array): Uint8Array;
  /** Throws a `FormatError` naming the source if `[offset, offset + length)` is not inside it. */
  checkRange(offset: number, length: number, what?: string): void;
  /** A sequential reader starting at `offset`. */
  cursor(offset?: number): BinaryCursor;
  close(): void;
}

/** The range check every source shares: a `FormatError` naming the source, the range and its size. */
export function checkSourceRange(src: { path: string; size: number }, offset: number, length: number, what = 'data'): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new FormatError(`${src.path}: invalid ${what} range at byte ${offset} (length ${length})`);
  }
  if (offset + length > src.size) {
    throw new FormatError(`${src.path}: truncated: ${what} needs bytes ${offset}..${offset + length} but the file has ${src.size} bytes`);
  }
}

/**
 * A `ByteSource` over bytes in memory (an `ArrayBuffer` fetched by a page, a file read whole).
 * Reads return views where the offset keeps typed-array alignment (8 bytes), copies otherwise.
 */
export class MemorySource implements ByteSource {
  readonly path: string;
  readonly size: number;
  private bytes: Uint8Array;

  /** `bytes` is used in place, not copied; `name` appears in error messages. */
  constructor(bytes: ArrayBuffer | Uint8Array, name = 'buffer') {
    this.bytes = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    this.size = this.bytes.byteLength;
    this.path = name;
  }

  read(offset: number, length: number, target?: Uint8Array): Uint8Array {
    this.checkRange(offset, length);
    const view = this.bytes.subarray(offset, offset + length);
    if (target) {
      if (target.byteLength < length) throw new RangeError(`read: target of ${target.byteLength} bytes is smaller than ${length}`);
      target.set(view);
      return target;
    }
    return view.byteOffset % 8 === 0 ? view : view.slice();
  }

  checkRange(offset: number, length: number, what = 'data'): void {
    checkSourceRange(this, offset, length, what);
  }

  cursor(offset = 0): BinaryCursor {
    return new BinaryCursor(this, offset);
  }

  close(): void {}
}

const WINDOW = 1 << 16;

/**
 * Sequential little-endian reads over a `ByteSource`, buffered in 64 KiB windows.
 * Errors name the file and the byte offset of the value that could not be read.
 */
export class BinaryCursor {
  readonly file: ByteSource;
  private pos: number;
  private buf = new Uint8Array(WINDOW);
  private view = new DataView(this.buf.buffer);
  private bufStart = 0;
  private bufLen = 0;

  constructor(file: ByteSource, offset: number) {
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
