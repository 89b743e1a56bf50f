/**
 * @module
 * `logMelFile`: the log-mel spectrogram of a whole file as one (nMels, frames) array, computed
 * by streaming (the decoded audio is never held; only the spectrogram, ~20 MB per hour at the
 * defaults) and with `topDb` applied over the whole spectrogram, as torchaudio does.
 */
import { applyTopDb } from './log-mel.js';
import type { Mel, MelChunk } from './mel-spectrogram.js';
import { DEFAULT_AUDIO, DEFAULT_MEL } from './audio-defaults.js';
import { streamLogMel, type StreamLogMelOptions } from './stream-log-mel.js';

/**
 * The log-mel spectrogram of the file at `path` (downmixed, resampled to `opts.sampleRate`).
 * With `log: 'none'` and default options it equals torchaudio's
 * `MelSpectrogram(sample_rate=22050, n_fft=2048, hop_length=1024, n_mels=128)` of the
 * downmixed, resampled signal.
 */
export async function logMelFile(path: string, opts: StreamLogMelOptions = {}): Promise<Mel> {
  const { topDb, ...rest } = opts;
  let M = 0;
  let T = 0;
  let capacity = 0;
  let frames: Float32Array = new Float32Array(0); // frame-major (T, M) while collecting: appends are contiguous
  const onInfo = rest.onInfo;
  const hop = rest.hopLength ?? DEFAULT_AUDIO.hopLength;
  const sr = rest.sampleRate ?? DEFAULT_AUDIO.sampleRate;
  for await (const c of streamLogMel(path, {
    ...rest,
    onInfo: (info) => {
      // Pre-size from the duration so an hour of frames is not copied while growing.
      if (info.duration) capacity = Math.ceil((info.duration * sr) / hop) + 2;
      onInfo?.(info);
    },
  })) {
    M = c.nMels;
    frames = appendFrames(frames, T, c, Math.max(capacity, T + c.nFrames));
    T += c.nFrames;
  }
  const data = new Float32Array(M * T);
  for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) data[m * T + t] = frames[t * M + m]!;
  if (topDb !== undefined && topDb !== null && (rest.log ?? DEFAULT_MEL.log) === 'db' && data.length > 0) {
    let max = -Infinity;
    for (let i = 0; i < data.length; i++) if (data[i]! > max) max = data[i]!;
    applyTopDb(data, max, topDb);
  }
  return { data, nMels: M, nFrames: T };
}

function appendFrames(frames: Float32Array, T: number, c: MelChunk, want: number): Float32Array {
  const M = c.nMels;
  let out: Float32Array = frames;
  if ((T + c.nFrames) * M > frames.length) {
    out = new Float32Array(Math.max(want, Math.ceil(T * 1.5) + c.nFrames) * M);
    out.set(frames.subarray(0, T * M));
  }
  for (let t = 0; t < c.nFrames; t++) for (let m = 0; m < M; m++) out[(T + t) * M + m] = c.data[m * c.nFrames + t]!;
  return out;
}
