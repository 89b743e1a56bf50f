/**
 * @module
 * Band-limited resampling equal to `torchaudio.functional.resample` (0.13) with
 * `resampling_method="sinc_interpolation"`: a Hann-windowed sinc kernel per output phase,
 * rates reduced by their gcd, the input zero-padded by `width` on the left and `width + orig`
 * on the right, and the output cut to `ceil(new * length / orig)` samples.
 *
 * `Resampler` does the same computation on a stream of chunks, so a long recording is
 * resampled with bounded memory and the same result as the one-shot `resample`.
 */
import { LimitError, UsageError } from '../core/errors.js';

/** Options of `resample`, named after torchaudio's. */
export interface ResampleOptions {
  /** Zero crossings of the sinc on each side; sharper filter but slower when larger. torchaudio default 6. */
  lowpassFilterWidth?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency, to reduce aliasing. torchaudio default 0.99. */
  rolloff?: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The polyphase kernel of a rate pair: `taps` coefficients for each of `phases` output phases. */
interface SincKernel {
  orig: number;
  phases: number;
  width: number;
  taps: number;
  /** Per phase j, the first tap of `rows[j]`; taps outside `[lo[j], lo[j] + rows[j].length)` are skipped. */
  lo: Int32Array;
  /** Per phase, its taps within the sinc's support (float32 values held as float64). */
  rows: Float64Array[];
}

function checkRate(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v <= 0) throw new UsageError(`resample: ${name} must be a positive integer number of Hz, got ${v}`);
}

/**
 * Builds the kernel as torchaudio's `_get_sinc_resample_kernel` does (sinc_interp_hann), but
 * only where |t| < lowpassFilterWidth: torchaudio clamps t there, and its float32 window
 * cos²(π/2) leaves ~1e-23 — far below float32 resolution of any output — so those taps are
 * skipped. That keeps the kernel small (about 2·width taps per phase) for any rate pair, where
 * torchaudio's dense (phases, 2·width + orig) kernel can take gigabytes (44,100 → 22,051 Hz).
 */
function sincKernel(from: number, to: number, lowpassFilterWidth: number, rolloff: number): SincKernel {
  const g = gcd(from, to);
  const orig = from / g;
  const phases = to / g;
  const baseFreq = Math.min(orig, phases) * rolloff;
  const width = Math.ceil((lowpassFilterWidth * orig) / baseFreq);
  const taps = 2 * width + orig;
  const support = (lowpassFilterWidth * orig) / baseFreq;
  if (phases * (2 * support + 3) > 1 << 27) {
    throw new LimitError(
      `resample: ${from} -> ${to} Hz reduces to ${orig}:${phases}, whose kernel would need ${Math.round(phases * 2 * support)} coefficients; pick rates with a larger common divisor`,
    );
  }
  const lo = new Int32Array(phases);
  const rows: Float64Array[] = [];
  // torchaudio builds the kernel in the waveform's dtype (float32); each step is rounded the
  // same way so that our kernel is torchaudio's to the last bit or two.
  const f = Math.fround;
  const base32 = f(baseFreq);
  const pi32 = f(Math.PI);
  const scale32 = f(baseFreq / orig);
  const row = new Float64Array(Math.ceil(2 * support) + 4);
  for (let j = 0; j < phases; j++) {
    const centre = width + (orig * j) / phases;
    const kMin = Math.max(0, Math.floor(centre - support) - 1);
    const kMax = Math.min(taps - 1, Math.ceil(centre + support) + 1);
    let first = -1;
    let n = 0;
    const phase = f(-j / phases);
    for (let k = kMin; k <= kMax; k++) {
      const t = f(f(phase + f((k - width) / orig)) * base32);
      if (!(Math.abs(t) < lowpassFilterWidth)) {
        if (first >= 0) break;
        continue;
      }
      if (first < 0) first = k;
      const c = f(Math.cos(f(f(f(t * pi32) / lowpassFilterWidth) / 2)));
      const window = f(c * c);
      const x = f(t * pi32);
      row[n++] = f((x === 0 ? 1 : f(f(Math.sin(x)) / x)) * f(window * scale32));
    }
    lo[j] = Math.max(first, 0);
    rows.push(row.slice(0, n));
  }
  return { orig, phases, width, taps, lo, rows };
}

/**
 * Streaming resampler: `push` chunks of input, receive the output samples that are complete,
 * then `flush` for the tail. The concatenated output equals `resample` on the whole input.
 */
export class Resampler {
  readonly from: number;
  readonly to: number;
  private readonly k: SincKernel | null;
  /** The zero-padded input P (P[p] = x[p - width]) from absolute index `pStart`. */
  private buf: Float32Array;
  private pStart = 0;
  private pLen = 0;
  private inputLength = 0;
  private nextBlock = 0;
  private emitted = 0;
  private flushed = false;

  constructor(from: number, to: number, opts: ResampleOptions = {}) {
    checkRate('from', from);
    checkRate('to', to);
    const lpw = opts.lowpassFilterWidth ?? 6;
    const rolloff = opts.rolloff ?? 0.99;
    if (!(lpw > 0)) throw new UsageError(`resample: lowpassFilterWidth must be > 0, got ${lpw}`);
    if (!(rolloff > 0 && rolloff <= 1)) throw new UsageError(`resample: rolloff must be in (0, 1], got ${rolloff}`);
    this.from = from;
    this.to = to;
    this.k = from === to ? null : sincKernel(from, to, lpw, rolloff);
    this.buf = new Float32Array(Math.max(1024, (this.k?.taps ?? 0) * 4));
    if (this.k) this.pLen = this.k.width; // the left zero padding
  }

  /** Feeds `x` and returns the output samples it completed (possibly none). */
  push(x: Float32Array): Float32Array {
    if (this.flushed) throw new UsageError('Resampler: push after flush');
    this.inputLength += x.length;
    if (!this.k) return x.slice();
    this.append(x);
    return this.run(false);
  }

  /** Ends the input and returns the remaining output samples. */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    if (!this.k) return new Float32Array(0);
    this.append(new Float32Array(this.k.width + this.k.orig)); // the right zero padding
    return this.run(true);
  }

  /** Number of output samples for an input of `length` samples (torchaudio's target length). */
  outputLength(length: number): number {
    if (!this.k) return length;
    return Math.ceil((this.k.phases * length) / this.k.orig);
  }

  private append(x: Float32Array): void {
    const need = this.pLen + x.length;
    if (need > this.buf.length) {
      const grown = new Float32Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.pLen));
      this.buf = grown;
    }
    this.buf.set(x, this.pLen);
    this.pLen += x.length;
  }

  private run(final: boolean): Float32Array {
    const { orig, phases, taps, lo } = this.k!;
    const pEnd = this.pStart + this.pLen;
    // Block b reads P[b*orig, b*orig + taps); it is ready once those are in (zeros included at the end).
    let lastBlock = Math.floor((pEnd - taps) / orig); // inclusive
    let limit = Infinity;
    if (final) {
      limit = this.outputLength(this.inputLength);
      lastBlock = Math.min(lastBlock, Math.ceil(limit / phases) - 1);
    }
    const nBlocks = Math.max(0, lastBlock - this.nextBlock + 1);
    const count = Math.max(0, Math.min(nBlocks * phases, limit - this.emitted));
    const out = new Float32Array(count);
    polyphase(this.buf, this.nextBlock * orig - this.pStart, orig, this.k!.rows, lo, out);
    this.nextBlock += nBlocks;
    this.emitted += count;
    // Keep only what later blocks read.
    const keepFrom = this.nextBlock * orig - this.pStart;
    if (keepFrom > 0) {
      this.buf.copyWithin(0, keepFrom, this.pLen);
      this.pLen -= keepFrom;
      this.pStart += keepFrom;
    }
    return out;
  }
}

/**
 * The hot loop: `out.length` outputs, phase after phase, block after block; block b (counted from
 * the first output) reads `buf[first + b*orig + lo[j] ...]`.
 */
function polyphase(buf: Float32Array, first: number, orig: number, rows: Float64Array[], lo: Int32Array, out: Float32Array): void {
  const phases = rows.length;
  const count = out.length;
  if (phases === 1) {
    // integer decimation (44,100 -> 22,050 Hz, 48,000 -> 16,000 Hz, ...): one row, unrolled,
    // summed in the same order as the general loop so the output is the same to the bit
    const w = rows[0]!;
    const n = w.length;
    const n4 = n & ~3;
    let off = first + lo[0]!;
    for (let o = 0; o < count; o++, off += orig) {
      let acc = 0;
      let t = 0;
      for (; t < n4; t += 4) {
        acc += w[t]! * buf[off + t]!;
        acc += w[t + 1]! * buf[off + t + 1]!;
        acc += w[t + 2]! * buf[off + t + 2]!;
        acc += w[t + 3]! * buf[off + t + 3]!;
      }
      for (; t < n; t++) acc += w[t]! * buf[off + t]!;
      out[o] = acc;
    }
    return;
  }
  let o = 0;
  for (let base = first; o < count; base += orig) {
    for (let j = 0; j < phases && o < count; j++) {
      const w = rows[j]!;
      const off = base + lo[j]!;
      let acc = 0;
      for (let t = 0; t < w.length; t++) acc += w[t]! * buf[off + t]!;
      out[o++] = acc;
    }
  }
}

/**
 * Resamples `x` from `from` Hz to `to` Hz; equal to
 * `torchaudio.functional.resample(x, from, to)` (sinc_interp_hann, lowpass_filter_width 6,
 * rolloff 0.99) up to float32 rounding.
 *
 * @example
 * const y = resample(x, 44100, 22050); // y.length === Math.ceil(x.length / 2)
 */
export function resample(x: Float32Array, from: number, to: number, opts: ResampleOptions = {}): Float32Array {
  const r = new Resampler(from, to, opts);
  if (from === to) return x.slice();
  const head = r.push(x);
  const tail = r.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
