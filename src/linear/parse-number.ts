/**
 * @module
 * Parses a decimal number from a byte range without building a string (the common
 * `123`, `-0.5`, `1e-3` forms); anything unusual falls back to `Number()` on the text.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];

/** The number in `buf[start, end)`, or NaN when the bytes are not a finite decimal number. */
export function parseNumber(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i >= end) return NaN;
  let neg = false;
  const c0 = buf[i]!;
  if (c0 === 45 /* - */ || c0 === 43 /* + */) {
    neg = c0 === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
    digits++;
  }
  if (i < end && buf[i] === 46 /* . */) {
    i++;
    for (; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      digits++;
      frac++;
    }
  }
  if (i === end && digits > 0 && digits <= 15) {
    const v = mant / POW10[frac]!;
    return neg ? -v : v;
  }
  // Exponents, long mantissas, or junk: let the engine decide, but reject non-numbers.
  const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return NaN;
  const v = Number(text);
  return Number.isFinite(v) ? v : NaN;
}
