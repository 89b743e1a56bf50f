/**
 * @module
 * Mel spectrograms equal to `torchaudio.transforms.MelSpectrogram` (0.13): STFT power frames
 * (see `spectrogram-stream.ts`) times the `melscale_fbanks` filter bank. `MelSpectrogramStream`
 * computes them over pushed chunks with bounded memory; `melSpectrogram` is the one-shot form and
 * gives the same numbers.
 *
 * Legend: M = nMels, T = frames, F = nFft/2 + 1.
 */
import { UsageError } from '../core/errors.js';
import { melFilterBank, type MelFilterBank, type MelNorm, type MelScale } from './mel-filter-bank.js';
import { SpectrogramStream, resolveSpectrogramOptions, type SpectrogramOptions } from './spectrogram-stream.js';
import { DEFAULT_AUDIO, DEFAULT_MEL } from './audio-defaults.js';

/**
 * Options of `melSpectrogram`, named after torchaudio's `MelSpectrogram` arguments (camelCase).
 * leanml's defaults are the method's (22,050 Hz, nFft 2048, hop 1024, 128 mels); where torchaudio's
 * default differs it is given too.
 */
export interface MelOptions extends SpectrogramOptions {
  /** Sample rate of the input (Hz). Default 22050 (torchaudio: 16000). */
  sampleRate?: number;
  /** Number of mel bins M. Default 128 (same as torchaudio). */
  nMels?: number;
  /** Lowest filter frequency (Hz). Default 0. */
  fMin?: number;
  /** Highest filter frequency (Hz). Default `sampleRate // 2`. */
  fMax?: number;
  /** Filter normalisation. Default `'none'` (torchaudio `norm=None`). */
  norm?: MelNorm;
  /** Mel scale. Default `'htk'`. */
  melScale?: MelScale;
}

/** A mel spectrogram: `data` is (nMels, nFrames), row-major, float32. */
export interface Mel {
  data: Float32Array;
  nMels: number;
  nFrames: number;
}

/** A piece of a streamed mel spectrogram: frames `[startFrame, startFrame + nFrames)`, (nMels, nFrames) row-major. */
export interface MelChunk extends Mel {
  startFrame: number;
}

/** `MelOptions` with the defaults filled in. */
export type ResolvedMelOptions = Required<Omit<MelOptions, 'fMax'>> & { fMax: number };

/** Fills in the defaults of `opts` and validates them. */
export function resolveMelOptions(opts: MelOptions = {}): ResolvedMelOptions {
  const sampleRate = opts.sampleRate ?? DEFAULT_AUDIO.sampleRate;
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) throw new UsageError(`melSpectrogram: sampleRate must be positive, got ${sampleRate}`);
  return {
    ...resolveSpectrogramOptions(opts),
    sampleRate,
    nMels: opts.nMels ?? DEFAULT_AUDIO.nMels,
    fMin: opts.fMin ?? DEFAULT_MEL.fMin,
    fMax: opts.fMax ?? Math.floor(sampleRate / 2),
    norm: opts.norm ?? DEFAULT_MEL.norm,
    melScale: opts.melScale ?? DEFAULT_MEL.melScale,
  };
}

/**
 * Streaming mel spectrogram over chunks of one mono signal. `push` returns the frames the chunk
 * completed, `flush` the rest; concatenated they equal `melSpectrogram` on the whole signal.
 */
export class MelSpectrogramStream {
  readonly opts: ResolvedMelOptions;
  readonly nMels: number;
  private readonly stft: SpectrogramStream;
  private readonly bank: MelFilterBank;
  /** Frames completed since the last emit, frame-major (T, M). */
  private pending = new Float32Array(0);
  private pendingFrames = 0;
  private emittedFrames = 0;
  private readonly sink: (spectrum: Float64Array) => void;

  constructor(opts: MelOptions = {}) {
    this.opts = resolveMelOptions(opts);
    this.stft = new SpectrogramStream(this.opts);
    this.nMels = this.opts.nMels;
    this.bank = melFilterBank(this.stft.nFreqs, this.opts.nMels, this.opts.sampleRate, this.opts);
    const { start, weights } = this.bank;
    const M = this.nMels;
    this.sink = (spectrum) => {
      if ((this.pendingFrames + 1) * M > this.pending.length) {
        const grown = new Float32Array(Math.max(M * 64, this.pending.length * 2));
        grown.set(this.pending.subarray(0, this.pendingFrames * M));
        this.pending = grown;
      }
      const row = this.pendingFrames * M;
      for (let m = 0; m < M; m++) {
        const w = weights[m]!;
        const s = start[m]!;
        let acc = 0;
        for (let i = 0; i < w.length; i++) acc += w[i]! * spectrum[s + i]!;
        this.pending[row + m] = acc;
      }
      this.pendingFrames++;
    };
  }

  /** The filter bank in use (dense (F, M) via `.dense()`). */
  get filterBank(): MelFilterBank {
    return this.bank;
  }

  /** Feeds samples; returns the frames they completed. */
  push(x: Float32Array): MelChunk {
    this.stft.push(x, this.sink);
    return this.take();
  }

  /** Ends the signal and returns the remaining frames. `source` names the signal in errors. */
  flush(source?: string): MelChunk {
    this.stft.flush(this.sink, source);
    return this.take();
  }

  private take(): MelChunk {
    const M = this.nMels;
    const T = this.pendingFrames;
    const data = new Float32Array(M * T);
    // (T, M) -> (M, T)
    for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) data[m * T + t] = this.pending[t * M + m]!;
    const chunk = { data, nMels: M, nFrames: T, startFrame: this.emittedFrames };
    this.emittedFrames += T;
    this.pendingFrames = 0;
    return chunk;
  }
}

/** Concatenates mel chunks along time into one (nMels, totalFrames) spectrogram. */
export function concatMel(chunks: readonly Mel[], nMels: number): Mel {
  const T = chunks.reduce((a, c) => a + c.nFrames, 0);
  const data = new Float32Array(nMels * T);
  let t0 = 0;
  for (const c of chunks) {
    for (let m = 0; m < nMels; m++) data.set(c.data.subarray(m * c.nFrames, (m + 1) * c.nFrames), m * T + t0);
    t0 += c.nFrames;
  }
  return { data, nMels, nFrames: T };
}

/**
 * The mel spectrogram of mono signal `x` (sampled at `opts.sampleRate`): (nMels, nFrames).
 * With default options it equals
 * `torchaudio.transforms.MelSpectrogram(sample_rate=22050, n_fft=2048, hop_length=1024, n_mels=128)(x)`.
 *
 * @example
 * const { data, nMels, nFrames } = melSpectrogram(x); // data[m * nFrames + t]
 */
export function melSpectrogram(x: Float32Array, opts: MelOptions = {}): Mel {
  const s = new MelSpectrogramStream(opts);
  const a = s.push(x);
  const b = s.flush();
  return b.nFrames === 0 ? { data: a.data, nMels: a.nMels, nFrames: a.nFrames } : concatMel([a, b], s.nMels);
}
