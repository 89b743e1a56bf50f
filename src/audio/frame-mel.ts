/**
 * @module
 * Cuts a (log-)mel spectrogram into fixed windows along time: at the defaults, 2 s windows of
 * (128, 44) every second (hop 22 frames), the input of the speaker embedding net.
 *
 * Legend: M = nMels, T = input frames, L = frameLength, W = windows.
 */
import { UsageError } from '../core/errors.js';
import type { Mel } from './mel-spectrogram.js';

/** Options of `frameMel`. */
export interface FrameMelOptions {
  /** Frames per window L. Default 44 (2 s at 22,050 Hz with hop 1024). */
  frameLength?: number;
  /** Frames between window starts. Default 22 (1 s). */
  hop?: number;
  /**
   * What to do with a last window that runs past the end: `'constant'` (default) fills it with
   * `padValue`, `'edge'` repeats the last frame, `'drop'` leaves it out. A spectrogram shorter
   * than one window gives one padded window (none with `'drop'`).
   */
  pad?: 'constant' | 'edge' | 'drop';
  /** Fill value for `pad: 'constant'`. Default: the minimum of the input (silence, for a log-mel). */
  padValue?: number;
}

/** Windows of a mel spectrogram: `data` is (W, M, L), row-major; window w starts at frame `starts[w]`. */
export interface MelFrames {
  data: Float32Array;
  nWindows: number;
  nMels: number;
  frameLength: number;
  starts: Int32Array;
}

/**
 * Cuts `mel` into windows of `frameLength` frames every `hop` frames.
 *
 * @example
 * const { data, nWindows } = frameMel(logMel(melSpectrogram(x))); // (nWindows, 128, 44)
 */
export function frameMel(mel: Mel, opts: FrameMelOptions = {}): MelFrames {
  const L = opts.frameLength ?? 44;
  const hop = opts.hop ?? 22;
  const pad = opts.pad ?? 'constant';
  if (!Number.isInteger(L) || L < 1) throw new UsageError(`frameMel: frameLength must be a positive integer, got ${L}`);
  if (!Number.isInteger(hop) || hop < 1) throw new UsageError(`frameMel: hop must be a positive integer, got ${hop}`);
  if (pad !== 'constant' && pad !== 'edge' && pad !== 'drop')
    throw new UsageError(`frameMel: pad must be 'constant', 'edge' or 'drop', got '${pad as string}'`);
  const { nMels: M, nFrames: T, data: src } = mel;
  if (src.length !== M * T) throw new UsageError(`frameMel: data has ${src.length} values, expected nMels * nFrames = ${M * T}`);
  // Full windows, then (unless dropped) one more covering the tail frames no full window reached.
  let W = T >= L ? Math.floor((T - L) / hop) + 1 : 0;
  const covered = W > 0 ? (W - 1) * hop + L : 0;
  if (pad !== 'drop' && covered < T && W * hop < T) W++;
  let padValue = opts.padValue;
  if (padValue === undefined) {
    padValue = Infinity;
    for (let i = 0; i < src.length; i++) if (src[i]! < padValue) padValue = src[i]!;
    if (padValue === Infinity) padValue = 0;
  }
  const data = new Float32Array(W * M * L);
  const starts = new Int32Array(W);
  for (let w = 0; w < W; w++) {
    const s = w * hop;
    starts[w] = s;
    const n = Math.min(L, T - s); // frames available
    for (let m = 0; m < M; m++) {
      const o = (w * M + m) * L;
      data.set(src.subarray(m * T + s, m * T + s + n), o);
      if (n < L) data.fill(pad === 'edge' ? src[m * T + T - 1]! : padValue, o + n, o + L);
    }
  }
  return { data, nWindows: W, nMels: M, frameLength: L, starts };
}
