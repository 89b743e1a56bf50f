/**
 * @module
 * The row operations fastText performs on its matrices, with the C++ float32 arithmetic
 * (every sum and product rounded to float32, as `real` is `float`), so that vectors agree with
 * the CLI to the last printed digit.
 */

/** A matrix of `rows` x `cols` float32 values, possibly quantised or on disk. */
export interface RowMatrix {
  readonly rows: number;
  readonly cols: number;
  /** `out[j] += row[j]` (`Matrix::addRowToVector`). */
  addRow(out: Float32Array, row: number): void;
  /** `sum_j row[j] * vec[j]`, accumulated in float32 (`Matrix::dotRow`). */
  dotRow(vec: Float32Array, row: number): number;
  /** Releases the file, if any. */
  close(): void;
}

/** Float32 dot product of `a[aOff, aOff + n)` and `b`, rounded like the C++ loop. */
export function dotF32(a: Float32Array, aOff: number, b: Float32Array, n: number): number {
  const fr = Math.fround;
  let d = 0;
  for (let j = 0; j < n; j++) d = fr(d + fr(a[aOff + j]! * b[j]!));
  return d;
}

/** Float32 norm, as `Vector::norm`. */
export function normF32(v: Float32Array): number {
  const fr = Math.fround;
  let s = 0;
  for (let j = 0; j < v.length; j++) s = fr(s + fr(v[j]! * v[j]!));
  return fr(Math.sqrt(s));
}

/** A dense matrix held in memory. */
export class DenseMatrix implements RowMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float32Array,
  ) {}

  addRow(out: Float32Array, row: number): void {
    const n = this.cols,
      d = this.data,
      o = row * n;
    for (let j = 0; j < n; j++) out[j]! += d[o + j]!;
  }

  dotRow(vec: Float32Array, row: number): number {
    return dotF32(this.data, row * this.cols, vec, this.cols);
  }

  close(): void {}
}
