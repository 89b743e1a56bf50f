/**
 * @module
 * Formats numbers the way C++ iostreams print them with `std::setprecision(p)` in the default
 * float field (printf `%.{p}g`): fastText's text output is made of these.
 */

/**
 * `x` as `printf("%.{precision}g")` (glibc): shortest of fixed/exponent notation, trailing zeros
 * removed, two-digit exponent minimum, ties rounded to even on the exact binary value (JS's
 * `toPrecision` rounds ties up, so exact ties are detected and corrected).
 */
export function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const neg = x < 0;
  const a = Math.abs(x);
  const digits = roundedDigits(a, precision);
  const exp = digits.exp;
  const mant = digits.mant; // `precision` significant digits, no dot
  let s: string;
  if (exp < -4 || exp >= precision) {
    const frac = mant.slice(1).replace(/0+$/, '');
    s = `${mant[0]! + (frac ? `.${frac}` : '')}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp >= 0) {
    const int = mant.slice(0, exp + 1);
    const frac = mant.slice(exp + 1).replace(/0+$/, '');
    s = int + (frac ? `.${frac}` : '');
  } else {
    const frac = ('0'.repeat(-exp - 1) + mant).replace(/0+$/, '');
    s = `0.${frac}`;
  }
  return neg ? `-${s}` : s;
}

function roundedDigits(a: number, p: number): { mant: string; exp: number } {
  const e = a.toExponential(p - 1); // d.ddddde±x, ties rounded up
  const [m, ex] = e.split('e') as [string, string];
  let mant = m.replace('.', '');
  let exp = Number(ex);
  // Only a value whose digits after the kept ones are (close to) exactly 5 can be a tie: the
  // exact expansion below is needed for those alone.
  const scaled = a * 10 ** (p - 1 - exp);
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-6) return { mant, exp };
  // An exact tie (the exact value ends in 5 right after the kept digits) must go to even.
  const exact = a.toExponential(Math.min(100, p + 60));
  const [em, eex] = exact.split('e') as [string, string];
  if (Number(eex) === exp || Number(eex) === exp - 1) {
    const ed = em.replace('.', '');
    if (Number(eex) === exp - 1) return { mant, exp }; // rounding carried into a new digit: not a tie of interest
    const rest = ed.slice(p);
    if (/^50*$/.test(rest)) {
      const kept = ed.slice(0, p);
      if (Number(kept[kept.length - 1]) % 2 === 0) {
        mant = kept;
        exp = Number(eex);
      }
    }
  }
  return { mant, exp };
}

const digitScratch = new Uint8Array(32);

/**
 * `formatG(x, precision)` written as ASCII into `out` at `pos` (the caller leaves room for 24
 * bytes); returns the position after it. Builds no string but `toExponential`'s, for output loops.
 */
export function writeG(x: number, precision: number, out: Uint8Array, pos: number): number {
  if (!Number.isFinite(x) || x === 0 || precision > 30) return writeAscii(formatG(x, precision), out, pos);
  let a = x;
  if (x < 0) {
    out[pos++] = 45; // '-'
    a = -x;
  }
  const e = a.toExponential(precision - 1); // d.ddddde±x
  const ePos = e.indexOf('e');
  let exp = 0;
  for (let i = ePos + 2; i < e.length; i++) exp = exp * 10 + e.charCodeAt(i) - 48;
  if (e.charCodeAt(ePos + 1) === 45) exp = -exp;
  const scaled = a * 10 ** (precision - 1 - exp);
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) <= 1e-6) return writeAscii(formatG(a, precision), out, pos); // maybe a tie
  const d = digitScratch;
  let nd = 0;
  for (let i = 0; i < ePos; i++) {
    const c = e.charCodeAt(i);
    if (c !== 46) d[nd++] = c;
  }
  while (nd > 1 && d[nd - 1] === 48) nd--; // trailing zeros go
  if (exp < -4 || exp >= precision) {
    out[pos++] = d[0]!;
    if (nd > 1) {
      out[pos++] = 46;
      for (let i = 1; i < nd; i++) out[pos++] = d[i]!;
    }
    out[pos++] = 101; // 'e'
    out[pos++] = exp < 0 ? 45 : 43;
    const ae = Math.abs(exp);
    if (ae >= 100) out[pos++] = 48 + Math.floor(ae / 100);
    out[pos++] = 48 + (Math.floor(ae / 10) % 10);
    out[pos++] = 48 + (ae % 10);
  } else if (exp >= 0) {
    for (let i = 0; i <= exp; i++) out[pos++] = i < nd ? d[i]! : 48;
    if (nd > exp + 1) {
      out[pos++] = 46;
      for (let i = exp + 1; i < nd; i++) out[pos++] = d[i]!;
    }
  } else {
    out[pos++] = 48;
    out[pos++] = 46;
    for (let i = 0; i < -exp - 1; i++) out[pos++] = 48;
    for (let i = 0; i < nd; i++) out[pos++] = d[i]!;
  }
  return pos;
}

function writeAscii(s: string, out: Uint8Array, pos: number): number {
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
  return pos;
}
