/**
 * @module
 * Short-time Fourier transform power frames as `torchaudio.transforms.Spectrogram` (0.13)
 * computes them (torch.stft with center, reflect or constant padding, a periodic Hann window
 * zero-padded to nFft, onesided), on a stream of chunks. Each completed frame is handed to a
 * callback; memory stays bounded by about one window whatever the input length.
 *
 * Legend: N = nFft, F = N/2 + 1 frequency bins, H = hop length.
 */
import { ShapeError, UsageError } from '../core/errors.js';
import { hannWindow } from './hann-window.js';
import { DEFAULT_AUDIO, DEFAULT_MEL } from './audio-defaults.js';
import { RealFft } from './real-fft.js';

/** STFT options, named after torchaudio's `Spectrogram` arguments (camelCase). */
export interface SpectrogramOptions {
  /** FFT size N. leanml default 2048 (torchaudio's default is 400). */
  nFft?: number;
  /** Window length, <= nFft; the window is centred in the FFT frame. Default nFft. */
  winLength?: number;
  /** Hop between frames. leanml default 1024 (torchaudio's default is winLength // 2). */
  hopLength?: number;
  /** Zero padding added on both sides of the signal before the STFT. Default 0. */
  pad?: number;
  /** Exponent of the magnitude: 2 for power, 1 for magnitude. Default 2. */
  power?: number;
  /** Divide the spectrum by sqrt(sum(window²)) (torchaudio `normalized=True`). Default false. */
  normalized?: boolean;
  /** Pad nFft/2 on both sides so frame t is centred on sample t·H. Default true. */
  center?: boolean;
  /** How `center` pads: `'reflect'` (default) or `'constant'` (zeros). */
  padMode?: 'reflect' | 'constant';
}

/** `SpectrogramOptions` with every default filled in. */
export type ResolvedSpectrogramOptions = Required<SpectrogramOptions>;

/** Fills in the defaults and validates `opts`. */
export function resolveSpectrogramOptions(opts: SpectrogramOptions = {}): ResolvedSpectrogramOptions {
  const nFft = opts.nFft ?? DEFAULT_AUDIO.nFft;
  const winLength = opts.winLength ?? nFft;
  const r: ResolvedSpectrogramOptions = {
    nFft,
    winLength,
    hopLength: opts.hopLength ?? DEFAULT_AUDIO.hopLength,
    pad: opts.pad ?? 0,
    power: opts.power ?? DEFAULT_MEL.power,
    normalized: opts.normalized ?? false,
    center: opts.center ?? true,
    padMode: opts.padMode ?? DEFAULT_MEL.padMode,
  };
  if (!Number.isInteger(nFft) || nFft < 1) throw new UsageError(`spectrogram: nFft must be a positive integer, got ${nFft}`);
  if (!Number.isInteger(winLength) || winLength < 1 || winLength > nFft)
    throw new UsageError(`spectrogram: winLength must be an integer in [1, nFft=${nFft}], got ${winLength}`);
  if (!Number.isInteger(r.hopLength) || r.hopLength < 1) throw new UsageError(`spectrogram: hopLength must be a positive integer, got ${r.hopLength}`);
  if (!Number.isInteger(r.pad) || r.pad < 0) throw new UsageError(`spectrogram: pad must be a non-negative integer, got ${r.pad}`);
  if (!(r.power > 0) || !Number.isFinite(r.power)) throw new UsageError(`spectrogram: power must be a positive number, got ${r.power}`);
  if (r.padMode !== 'reflect' && r.padMode !== 'constant')
    throw new UsageError(`spectrogram: padMode must be 'reflect' or 'constant', got '${r.padMode as string}'`);
  return r;
}

/** Number of STFT frames for a signal of `length` samples. */
export function frameCount(length: number, opts: SpectrogramOptions = {}): number {
  const o = resolveSpectrogramOptions(opts);
  const total = length + 2 * o.pad + (o.center ? 2 * Math.floor(o.nFft / 2) : 0);
  return total < o.nFft ? 0 : 1 + Math.floor((total - o.nFft) / o.hopLength);
}

/** Receives frame `t`'s spectrum: F values of |X|^power. The array is reused for the next frame. */
export type FrameSink = (spectrum: Float64Array, t: number) => void;

/** STFT over pushed chunks of one signal; see the module comment. */
export class SpectrogramStream {
  readonly opts: ResolvedSpectrogramOptions;
  readonly nFreqs: number;
  private readonly window: Float64Array;
  private readonly fft: RealFft;
  private readonly frame: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly scale: number;
  /** Signal samples (after `pad` zeros) from absolute index `xStart`. */
  private buf = new Float32Array(1 << 16);
  private xStart = 0;
  private xLen = 0;
  private received = 0;
  private nextFrame = 0;
  private started = false;
  private finished = false;

  constructor(opts: SpectrogramOptions = {}) {
    this.opts = resolveSpectrogramOptions(opts);
    const { nFft, winLength, normalized } = this.opts;
    this.nFreqs = Math.floor(nFft / 2) + 1;
    const w = hannWindow(winLength);
    this.window = new Float64Array(nFft);
    this.window.set(w, Math.floor((nFft - winLength) / 2));
    this.fft = new RealFft(nFft);
    this.frame = new Float64Array(nFft);
    this.spectrum = new Float64Array(this.nFreqs);
    let sumSq = 0;
    for (const v of this.window) sumSq += v * v;
    this.scale = normalized ? 1 / Math.sqrt(sumSq) : 1;
  }

  /** Frames emitted so far. */
  get framesDone(): number {
    return this.nextFrame;
  }

  /** Feeds the next samples; calls `sink` for every frame they complete. */
  push(x: Float32Array, sink: FrameSink): void {
    if (this.finished) throw new UsageError('SpectrogramStream: push after flush');
    if (!this.started) {
      this.started = true;
      if (this.opts.pad > 0) this.append(new Float32Array(this.opts.pad));
    }
    this.append(x);
    this.run(sink, -1);
  }

  /** Ends the signal; calls `sink` for the remaining frames. */
  flush(sink: FrameSink, source = 'signal'): void {
    if (this.finished) return;
    if (!this.started && this.opts.pad > 0) this.append(new Float32Array(this.opts.pad));
    this.started = true;
    if (this.opts.pad > 0) this.append(new Float32Array(this.opts.pad));
    this.finished = true;
    const L = this.received;
    const half = Math.floor(this.opts.nFft / 2);
    if (this.opts.center && this.opts.padMode === 'reflect' && L <= half) {
      throw new ShapeError(
        `spectrogram: ${source} has ${L} samples, too short for reflect padding of nFft/2 = ${half}; use padMode 'constant' or a smaller nFft`,
      );
    }
    if (!this.opts.center && L < this.opts.nFft) {
      throw new ShapeError(`spectrogram: ${source} has ${L} samples, fewer than nFft = ${this.opts.nFft} (center is off)`);
    }
    this.run(sink, L);
  }

  private append(x: Float32Array): void {
    const need = this.xLen + x.length;
    if (need > this.buf.length) {
      const grown = new Float32Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.xLen));
      this.buf = grown;
    }
    this.buf.set(x, this.xLen);
    this.xLen += x.length;
    this.received += x.length;
  }

  /** Computes every ready frame; `total` is the signal length once known (-1 before). */
  private run(sink: FrameSink, total: number): void {
    const { nFft, hopLength: H, center, padMode, power } = this.opts;
    const half = center ? Math.floor(nFft / 2) : 0;
    const L = this.received;
    const reflect = padMode === 'reflect';
    const lastFrame = total >= 0 ? frameCount(total - 2 * this.opts.pad, this.opts) - 1 : Infinity;
    const { frame, window, spectrum, buf, scale } = this;
    const F = this.nFreqs;
    for (;;) {
      const t = this.nextFrame;
      if (t > lastFrame) break;
      const s = t * H - half; // first signal index of the frame
      // Before the end is known, a frame must lie inside what has arrived (and the left
      // reflection reads x[0..half]).
      if (total < 0 && (s + nFft > L || L <= half)) break;
      const off = s - this.xStart;
      if (s >= 0 && s + nFft <= L) {
        for (let k = 0; k < nFft; k++) frame[k] = buf[off + k]! * window[k]!;
      } else {
        for (let k = 0; k < nFft; k++) {
          let i = s + k;
          let v = 0;
          if (i < 0 || i >= L) {
            if (reflect) {
              if (i < 0) i = -i;
              if (i >= L) i = 2 * (L - 1) - i;
              v = buf[i - this.xStart]!;
            }
          } else {
            v = buf[i - this.xStart]!;
          }
          frame[k] = v * window[k]!;
        }
      }
      const X = this.fft.transform(frame);
      if (power === 2 && scale === 1) {
        for (let f = 0; f < F; f++) spectrum[f] = X[2 * f]! * X[2 * f]! + X[2 * f + 1]! * X[2 * f + 1]!;
      } else {
        for (let f = 0; f < F; f++) {
          const mag = Math.hypot(X[2 * f]!, X[2 * f + 1]!) * scale;
          spectrum[f] = power === 1 ? mag : power === 2 ? mag * mag : mag ** power;
        }
      }
      sink(spectrum, t);
      this.nextFrame = t + 1;
    }
    // Keep what later frames (and a right-edge reflection) may read.
    if (total < 0) {
      const keepFrom = Math.max(0, this.nextFrame * H - half - nFft);
      const drop = keepFrom - this.xStart;
      if (drop > 0) {
        this.buf.copyWithin(0, drop, this.xLen);
        this.xLen -= drop;
        this.xStart = keepFrom;
      }
    }
  }
}
