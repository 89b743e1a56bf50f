/**
 * @module
 * `std::exp(float)` as the fastText CLI gets it from glibc (2.28 and later) on a CPU with FMA
 * (every x86-64 since 2013 picks glibc's `__expf_fma`; aarch64 builds fuse the same way).
 * glibc's expf is not correctly rounded (up to 0.502 ulp): it evaluates `2^(k/32) * p(r)` in
 * double with five fused multiply-adds and rounds once to float, so `Math.fround(Math.exp(x))`
 * differs from it in the last float digit now and then, which `predict-prob` prints. This file
 * follows that evaluation: the double arithmetic runs unfused (fast), and when the result lies
 * so close to a float rounding boundary (or `r` so close to ±1/2) that fusing could change the
 * float, the five FMAs are redone exactly with BigInt arithmetic (a few calls in a million).
 */

const N = 32; // 2^(k/N) table
// ln2 reciprocal and the cubic of 2^(r/N), as glibc's exp2f data (hexadecimal significands).
const INV_LN2_N = (0x171547652b82fe / 2 ** 52) * N;
const C0 = 0x1c6af84b912394 / 2 ** 57 / N / N / N;
const C1 = 0x1ebfce50fac4f3 / 2 ** 55 / N / N;
const C2 = 0x162e42ff0c52d6 / 2 ** 53 / N;
const SHIFT = 1.5 * 2 ** 52; // adding it rounds to an integer (ties to even)
// biome-ignore lint/correctness/noPrecisionLoss: the exact decimal of the float 0x1.62e42ep6 (a double holds it exactly)
const OVERFLOW = 88.72283172607421875; // 0x1.62e42ep6f: above, +Infinity
const UNDERFLOW = -103.97207641601562; // -0x1.9fe368p6f: below, 0
const TIE_MARGIN = 2 ** -44;
const NEAR_BOUNDARY = 2 ** -30; // > glibc's 2^-32 relative error before rounding, with room for Math.exp's
const SPLIT = 134217729; // 2^27 + 1, Veltkamp split of a double into two 26-bit halves

/** 2^(i/N) for i in [0, N), each correctly rounded to double (Math.pow is not, for 4 of them). */
const TAB = (() => {
  const t = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    // the 53-bit significand M of 2^(i/N): M^N ~ 2^(52N + i); round to nearest by comparing (2M+1)^N
    const target = 1n << BigInt(52 * N + i);
    let m = BigInt(Math.round(2 ** (52 + i / N)));
    while (m ** BigInt(N) > target) m--;
    while ((m + 1n) ** BigInt(N) <= target) m++;
    if ((2n * m + 1n) ** BigInt(N) < target << BigInt(N)) m++;
    t[i] = Number(m) / 2 ** 52;
  }
  return t;
})();

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** `x` as integer significand and exponent: x = m * 2^e exactly. */
function parts(x: number): [bigint, number] {
  f64[0] = x;
  const bits = u64[0]!;
  const bexp = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  if (bexp !== 0) m |= 1n << 52n;
  const e = (bexp === 0 ? 1 : bexp) - 1075;
  return [bits >> 63n ? -m : m, e];
}

/** `a * b + c` with one rounding (IEEE fma), for finite operands and a result in the normal range. */
export function fmaExact(a: number, b: number, c: number): number {
  const [ma, ea] = parts(a),
    [mb, eb] = parts(b),
    [mc, ec] = parts(c);
  const mp = ma * mb;
  const ep = ea + eb;
  if (mp === 0n) return a * b + c;
  let e = mc === 0n ? ep : Math.min(ep, ec);
  let n = (mp << BigInt(ep - e)) + (mc << BigInt(ec - e));
  if (n === 0n) return 0;
  // keep 64 significant bits and a sticky bit so that Number() below rounds as the exact value would
  const len = (n < 0n ? -n : n).toString(2).length;
  if (len > 66) {
    const sh = BigInt(len - 66);
    const sticky = (n < 0n ? -n : n) & ((1n << sh) - 1n) ? 1n : 0n;
    n = n < 0n ? -((-n >> sh) | sticky) : (n >> sh) | sticky;
    e += len - 66;
  }
  // Number(bigint) rounds to nearest even; scaling by 2^e is then exact while the result is normal
  const h = Math.trunc(e / 2);
  return Number(n) * 2 ** h * 2 ** (e - h);
}

function expfFused(xd: number): number {
  const kd = fmaExact(xd, INV_LN2_N, SHIFT) - SHIFT;
  const r = fmaExact(xd, INV_LN2_N, -kd);
  const k = kd | 0;
  const s = TAB[k & (N - 1)]! * 2 ** (k >> 5);
  const z = fmaExact(r, C0, C1);
  const r2 = r * r;
  let y = fmaExact(r, C2, 1);
  y = fmaExact(z, r2, y);
  return Math.fround(y * s);
}

/**
 * glibc's `expf` on the float32 value `x`, as a float32 value. glibc's result is within 0.502
 * ulp of exp(x), so it is the correctly rounded float unless exp(x) lies within 0.002 ulp
 * (2^-32 relative) of a rounding boundary: `Math.exp` (within a double ulp) answers every other
 * case, and only those near a boundary (about one in 64) take the evaluation glibc does.
 */
export function expf(x: number): number {
  if (!(x <= OVERFLOW)) return Number.isNaN(x) ? x : Infinity; // NaN stays NaN
  if (x < UNDERFLOW) return 0;
  const y = Math.exp(x);
  const f = Math.fround(y);
  if (Math.fround(y * (1 + NEAR_BOUNDARY)) === f && Math.fround(y * (1 - NEAR_BOUNDARY)) === f) return f;
  return glibcExpf(x);
}

/** glibc's evaluation of `expf` (finite x in range), as a float32 value. */
export function glibcExpf(x: number): number {
  // z = x N / ln2 = k + r, with the product split exactly (p + pe) so that r is the fused value
  const p = x * INV_LN2_N;
  const kd = p + SHIFT - SHIFT;
  const xs = SPLIT * x,
    xh = xs - (xs - x),
    xl = x - xh;
  const is = SPLIT * INV_LN2_N,
    ih = is - (is - INV_LN2_N),
    il = INV_LN2_N - ih;
  const pe = xh * ih - p + xh * il + xl * ih + xl * il;
  const r = p - kd + pe;
  if (Math.abs(Math.abs(r) - 0.5) < 1e-9) return expfFused(x); // k itself could round the other way
  const k = kd | 0;
  const s = TAB[k & (N - 1)]! * 2 ** (k >> 5);
  const y = ((C0 * r + C1) * (r * r) + (C2 * r + 1)) * s;
  const f = Math.fround(y);
  // unfused and fused y differ by a few double ulps: only near a float tie can the float differ
  if (Math.fround(y * (1 + TIE_MARGIN)) !== f || Math.fround(y * (1 - TIE_MARGIN)) !== f) return expfFused(x);
  return f;
}
