/**
 * @module
 * A dense float32 matrix left on disk and read row by row with positioned reads: opening a
 * multi-gigabyte model costs nothing and a lookup reads only the rows it touches.
 */
import type { ByteSource } from '../core/byte-source.js';
import type { RowMatrix } from './matrix.js';
import { dotF32 } from './matrix.js';

/** Rows of a little-endian float32 matrix stored at `offset` in `file`. */
export class DenseFileMatrix implements RowMatrix {
  private buf: Uint8Array;
  private row: Float32Array;

  constructor(
    private readonly file: ByteSource,
    readonly offset: number,
    readonly rows: number,
    readonly cols: number,
  ) {
    file.checkRange(offset, rows * cols * 4, `matrix of ${rows} x ${cols}`);
    this.buf = new Uint8Array(cols * 4);
    this.row = new Float32Array(this.buf.buffer);
  }

  /** Row `i` into a scratch buffer that the next call overwrites. */
  readRow(i: number): Float32Array {
    if (!(i >= 0 && i < this.rows)) throw new RangeError(`row ${i} is outside [0, ${this.rows})`);
    this.file.read(this.offset + i * this.cols * 4, this.cols * 4, this.buf);
    return this.row;
  }

  /** Rows `[start, start + count)` as a new array (one read). */
  readRows(start: number, count: number): Float32Array {
    const bytes = this.file.read(this.offset + start * this.cols * 4, count * this.cols * 4);
    return new Float32Array(bytes.buffer, bytes.byteOffset, count * this.cols);
  }

  addRow(out: Float32Array, i: number): void {
    const r = this.readRow(i);
    for (let j = 0; j < this.cols; j++) out[j]! += r[j]!;
  }

  dotRow(vec: Float32Array, i: number): number {
    return dotF32(this.readRow(i), 0, vec, this.cols);
  }

  close(): void {}
}
