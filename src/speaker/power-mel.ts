/**
 * @module
 * The audio front end of the speaker pipeline: mel power spectrograms (the net takes their dB,
 * the speech gate their band energy), whole-file for training clips, streamed for detection.
 */
import { concatMel, hzToMel, melToHz, streamLogMel, type AudioInfo, type MelChunk } from '../audio/index.js';
import type { AudioSettings } from './config.js';

/** Mel power of a file, (C, T), with the file's info. */
export interface PowerMel {
  data: Float32Array;
  nMels: number;
  nFrames: number;
  info: AudioInfo;
}

/** Streams mel power chunks of `path` at the model's audio settings (downmixed, resampled). */
export function streamPowerMel(
  path: string,
  audio: AudioSettings,
  opts: { chunkFrames?: number; onInfo?: (info: AudioInfo) => void; worker?: boolean } = {},
): AsyncGenerator<MelChunk> {
  return streamLogMel(path, {
    sampleRate: audio.sampleRate,
    nFft: audio.nFft,
    hopLength: audio.hopLength,
    nMels: audio.nMels,
    fMin: audio.fMin,
    fMax: audio.fMax,
    log: 'none',
    chunkFrames: opts.chunkFrames ?? 1024,
    onInfo: opts.onInfo,
    worker: opts.worker,
  });
}

/** The whole mel power spectrogram of `path`. */
export async function loadPowerMel(path: string, audio: AudioSettings): Promise<PowerMel> {
  let info: AudioInfo | null = null;
  const chunks: MelChunk[] = [];
  for await (const c of streamPowerMel(path, audio, {
    onInfo: (i) => {
      info = i;
    },
  }))
    chunks.push(c);
  const mel = concatMel(chunks, audio.nMels);
  return { ...mel, info: info! };
}

/** Centre frequency (Hz) of every mel bin (HTK scale). */
export function melCenters(audio: AudioSettings): Float64Array {
  const lo = hzToMel(audio.fMin);
  const hi = hzToMel(audio.fMax);
  return Float64Array.from({ length: audio.nMels }, (_, i) => melToHz(lo + ((hi - lo) * (i + 1)) / (audio.nMels + 1)));
}
