/**
 * @module
 * The method's audio settings, defined once: mono at 22,050 Hz, STFT of 2048 samples every 1024
 * (about 21.5 columns per second, so a 2 s frame is 44 columns), 128 mel bins. Every function,
 * the CLI's `--help` and the demo read them from here.
 */
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
