/**
 * @module
 * Audio features in pure TypeScript: decoding (WAV natively, other formats through ffmpeg),
 * downmix, resampling, STFT and mel spectrograms equal to torchaudio 0.13, log compression,
 * fixed-length framing, and a streaming pipeline for long recordings.
 */
export { DEFAULT_AUDIO, DEFAULT_MEL } from './audio-defaults.js';
export { audioInfo } from './audio-info.js';
export { openAudio, type AudioInfo, type AudioSource } from './audio-source.js';
export { decodeAudio, downmixChunk, loadMono, type DecodedAudio } from './decode-audio.js';
export { downmix } from './downmix.js';
export { frameMel, type FrameMelOptions, type MelFrames } from './frame-mel.js';
export { hannWindow } from './hann-window.js';
export { amplitudeToDb, applyTopDb, dbInto, lnInto, logMel, type DbOptions, type LogKind, type LogOptions } from './log-mel.js';
export { hzToMel, melFilterBank, melToHz, type MelFilterBank, type MelFilterBankOptions, type MelNorm, type MelScale } from './mel-filter-bank.js';
export {
  concatMel,
  melSpectrogram,
  MelSpectrogramStream,
  resolveMelOptions,
  type Mel,
  type MelChunk,
  type MelOptions,
  type ResolvedMelOptions,
} from './mel-spectrogram.js';
export { streamMono, type MonoStreamOptions } from './mono-stream.js';
export { RealFft } from './real-fft.js';
export { resample, Resampler, type ResampleOptions } from './resample.js';
export { frameCount, SpectrogramStream, type SpectrogramOptions } from './spectrogram-stream.js';
export { sniffContainer } from './sniff-container.js';
export { streamLogMel, type StreamLogMelOptions } from './stream-log-mel.js';
export { parseWavHeader, type WavHeader, type WavSampleFormat } from './wav-header.js';
export { encodeWav, encodeWavHeader, writeWav, type WavEncoding, type WavHeaderOptions } from './wav-writer.js';
export { logMelFile } from './log-mel-file.js';
export { withInputFile } from './input-file.js';
