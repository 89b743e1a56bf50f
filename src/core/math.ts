/**
 * @module
 * Small typed-array math used across modules: dot products, norms, in-place updates.
 * Loops are plain indexed loops over flat buffers; nothing here allocates unless it returns a new array.
 */
import { ShapeError } from './errors.js';

type Vec = Float32Array | Float64Array;

/** Dot product of `a` and `b` (float64 accumulator). */
export function dot(a: Vec, b: Vec, n = a.length, aOffset = 0, bOffset = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aOffset + i]! * b[bOffset + i]!;
  return s;
}

/** Euclidean norm of `a[offset .. offset + n)`. */
export function norm(a: Vec, n = a.length, offset = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = a[offset + i]!;
    s += v * v;
  }
  return Math.sqrt(s);
}

/** `y += alpha * x`, in place. */
export function axpy(alpha: number, x: Vec, y: Vec): void {
  if (x.length !== y.length) throw new ShapeError(`axpy: x has length ${x.length} but y has length ${y.length}`);
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

/** `a *= alpha`, in place. */
export function scale(a: Vec, alpha: number): void {
  for (let i = 0; i < a.length; i++) a[i]! *= alpha;
}

/** Divides `a` by its norm in place (left unchanged when the norm is 0). Returns the norm. */
export function l2Normalize(a: Vec): number {
  const n = norm(a);
  if (n > 0) scale(a, 1 / n);
  return n;
}

/** Index of the largest value (first one on ties); -1 for an empty array. */
export function argmax(a: ArrayLike<number>): number {
  let best = -1;
  let bestV = -Infinity;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > bestV || best < 0) {
      bestV = a[i]!;
      best = i;
    }
  }
  return best;
}

/** Numerically stable logistic function. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** `log(sum(exp(a)))` without overflow. */
export function logSumExp(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.exp(a[i]! - m);
  return m + Math.log(s);
}

/** Mean of an array (NaN for an empty one). */
export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}
