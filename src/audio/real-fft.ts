/**
 * @module
 * Real-input DFT returning bins 0..n/2 (the one-sided spectrum torch.stft gives with
 * onesided=True). Power-of-two lengths use fft.js's radix-4 real transform; other lengths
 * (torchaudio's default n_fft is 400) use Bluestein's algorithm over a power-of-two FFT.
 */
import FFT from 'fft.js';
import { UsageError } from '../core/errors.js';

/** A reusable real DFT plan of length `n` (any n >= 1). Not safe to share across concurrent users. */
export class RealFft {
  readonly n: number;
  private readonly plan: FFT | null;
  private readonly out: Float64Array;
  private readonly bluestein: Bluestein | null;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`RealFft: length must be a positive integer, got ${n}`);
    this.n = n;
    const pow2 = n >= 2 && (n & (n - 1)) === 0;
    this.plan = pow2 ? new FFT(n) : null;
    this.bluestein = pow2 ? null : new Bluestein(n);
    this.out = new Float64Array(2 * Math.max(n, 2));
  }

  /**
   * Transforms `input` (length n). Returns interleaved (re, im) of bins 0..floor(n/2) in a view
   * of an internal buffer that the next call overwrites.
   */
  transform(input: Float64Array): Float64Array {
    if (this.plan) this.plan.realTransform(this.out, input);
    else this.bluestein!.transform(input, this.out);
    return this.out.subarray(0, 2 * (Math.floor(this.n / 2) + 1));
  }
}

/** Bluestein's chirp-z: a DFT of any length n as a circular convolution of power-of-two length m >= 2n - 1. */
class Bluestein {
  private readonly n: number;
  private readonly m: number;
  private readonly fft: FFT;
  /** chirp w[k] = exp(-iπk²/n), interleaved. */
  private readonly chirp: Float64Array;
  /** FFT of the conjugate chirp, wrapped to length m. */
  private readonly kernelHat: Float64Array;
  private readonly a: Float64Array;
  private readonly aHat: Float64Array;
  private readonly conv: Float64Array;

  constructor(n: number) {
    this.n = n;
    let m = 2;
    while (m < 2 * n - 1) m *= 2;
    this.m = m;
    this.fft = new FFT(m);
    this.chirp = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small, so large k stays accurate.
      const angle = (Math.PI * ((k * k) % (2 * n))) / n;
      this.chirp[2 * k] = Math.cos(angle);
      this.chirp[2 * k + 1] = -Math.sin(angle);
    }
    const b = new Float64Array(2 * m);
    for (let k = 0; k < n; k++) {
      b[2 * k] = this.chirp[2 * k]!;
      b[2 * k + 1] = -this.chirp[2 * k + 1]!;
      if (k > 0) {
        b[2 * (m - k)] = this.chirp[2 * k]!;
        b[2 * (m - k) + 1] = -this.chirp[2 * k + 1]!;
      }
    }
    this.kernelHat = new Float64Array(2 * m);
    this.fft.transform(this.kernelHat, b);
    this.a = new Float64Array(2 * m);
    this.aHat = new Float64Array(2 * m);
    this.conv = new Float64Array(2 * m);
  }

  transform(input: Float64Array, out: Float64Array): void {
    const { n, m, chirp, a, aHat, kernelHat, conv } = this;
    a.fill(0);
    for (let k = 0; k < n; k++) {
      a[2 * k] = input[k]! * chirp[2 * k]!;
      a[2 * k + 1] = input[k]! * chirp[2 * k + 1]!;
    }
    this.fft.transform(aHat, a);
    for (let k = 0; k < m; k++) {
      const re = aHat[2 * k]! * kernelHat[2 * k]! - aHat[2 * k + 1]! * kernelHat[2 * k + 1]!;
      const im = aHat[2 * k]! * kernelHat[2 * k + 1]! + aHat[2 * k + 1]! * kernelHat[2 * k]!;
      aHat[2 * k] = re;
      aHat[2 * k + 1] = im;
    }
    this.fft.inverseTransform(conv, aHat); // fft.js scales the inverse by 1/m
    const half = Math.floor(n / 2);
    for (let k = 0; k <= half; k++) {
      const re = conv[2 * k]!;
      const im = conv[2 * k + 1]!;
      out[2 * k] = re * chirp[2 * k]! - im * chirp[2 * k + 1]!;
      out[2 * k + 1] = re * chirp[2 * k + 1]! + im * chirp[2 * k]!;
    }
  }
}
