/**
 * @module
 * The method's audio settings, defined once: mono at 22,050 Hz, STFT of 2048 samples every 1024
 * (about 21.5 columns per second, so a 2 s frame is 44 columns), 128 mel bins. Every function,
 * the CLI's `--help` and the demo read them from here.
 */
import type { LogKind } from './log-mel.js';
import type { MelNorm, MelScale } from './mel-filter-bank.js';

export const DEFAULT_AUDIO = Object.freeze({
  /** Sample rate the input is resampled to (Hz); torchaudio's MelSpectrogram default is 16000. */
  sampleRate: 22050,
  /** FFT size; torchaudio's default is 400. */
  nFft: 2048,
  /** Samples between STFT frames; torchaudio's default is winLength // 2. */
  hopLength: 1024,
  /** Mel bins (torchaudio's default too). */
  nMels: 128,
});

/**
 * The defaults of the mel and log options besides the four above, each equal to torchaudio's
 * (`MelSpectrogram`, `Spectrogram`, `AmplitudeToDB`); `logOffset` is leanml's, for `log: 'ln'`.
 */
export interface MelDefaults {
  fMin: number;
  melScale: MelScale;
  norm: MelNorm;
  power: number;
  padMode: 'reflect' | 'constant';
  log: LogKind;
  amin: number;
  logOffset: number;
}

export const DEFAULT_MEL: Readonly<MelDefaults> = Object.freeze({
  /** Lowest filter frequency (Hz); the highest defaults to sampleRate / 2. */
  fMin: 0,
  melScale: 'htk',
  norm: 'none',
  /** 2 = power spectrum, 1 = magnitude. */
  power: 2,
  /** How the centred STFT pads the signal's ends. */
  padMode: 'reflect',
  log: 'db',
  /** `log: 'db'`: values are clamped to at least this before the log. */
  amin: 1e-10,
  /** `log: 'ln'`: added before the natural log so silence stays finite. */
  logOffset: 1e-6,
});
