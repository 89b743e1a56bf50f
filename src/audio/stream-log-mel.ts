/**
 * @module
 * The whole pipeline on a stream: decode -> downmix -> resample -> mel -> log, chunk by chunk,
 * so an hours-long recording needs memory for a few chunks only. The chunks, concatenated, equal
 * the one-shot `logMel(melSpectrogram(loadMono(path)))`.
 */
import { UsageError } from '../core/errors.js';
import { DEFAULT_MEL } from './audio-defaults.js';
import type { AudioInfo } from './audio-source.js';
import { dbInto, lnInto, type LogOptions } from './log-mel.js';
import { MelSpectrogramStream, resolveMelOptions, type MelChunk, type MelOptions } from './mel-spectrogram.js';
import { streamMono } from './mono-stream.js';
import type { ResampleOptions } from './resample.js';

/** Options of `streamLogMel`: mel, log and resampling options, and the chunk size. */
export interface StreamLogMelOptions extends MelOptions, LogOptions, ResampleOptions {
  /** Mel frames per yielded chunk (the last may be shorter). Default 1024 (about 48 s at the defaults). */
  chunkFrames?: number;
  /** Called once with the file's info before any chunk. */
  onInfo?: (info: AudioInfo) => void;
  /** Decode, downmix and resample in a worker thread (a second core), with the same result. Default false. */
  worker?: boolean;
}

/**
 * Streams the log-mel spectrogram of the file at `path` (downmixed, resampled to
 * `opts.sampleRate`) as chunks of frames `[startFrame, startFrame + nFrames)`.
 * `topDb` needs the maximum of the whole spectrogram, so it is refused here; apply
 * `applyTopDb` after collecting, as `leanml audio mel` does.
 *
 * @example
 * for await (const c of streamLogMel('film.mkv')) consume(c.data, c.nMels, c.nFrames, c.startFrame);
 */
export async function* streamLogMel(path: string, opts: StreamLogMelOptions = {}): AsyncGenerator<MelChunk> {
  if (opts.topDb !== undefined && opts.topDb !== null) {
    throw new UsageError('streamLogMel: topDb needs the maximum of the whole spectrogram; stream with topDb unset and call applyTopDb on the result');
  }
  const chunkFrames = opts.chunkFrames ?? 1024;
  if (!Number.isInteger(chunkFrames) || chunkFrames < 1) throw new UsageError(`streamLogMel: chunkFrames must be a positive integer, got ${chunkFrames}`);
  const mel = resolveMelOptions(opts);
  const kind = opts.log ?? DEFAULT_MEL.log;
  if (kind !== 'db' && kind !== 'ln' && kind !== 'none') throw new UsageError(`streamLogMel: log must be 'none', 'db' or 'ln', got '${kind as string}'`);
  const stream = new MelSpectrogramStream(mel);
  const M = stream.nMels;

  // Collects frames until a chunk of `chunkFrames` is full. Frames arrive as (M, T) pieces.
  let parts: MelChunk[] = [];
  let have = 0;
  let next = 0;
  const compress = (data: Float32Array): void => {
    if (kind === 'db') dbInto(data, data, opts);
    else if (kind === 'ln') lnInto(data, data, opts.logOffset ?? DEFAULT_MEL.logOffset);
  };
  function* drain(final: boolean): Generator<MelChunk> {
    while (have >= chunkFrames || (final && have > 0)) {
      const T = Math.min(chunkFrames, have);
      const data = new Float32Array(M * T);
      let t = 0;
      const rest: MelChunk[] = [];
      for (const p of parts) {
        const take = Math.min(p.nFrames, T - t);
        for (let m = 0; m < M; m++) data.set(p.data.subarray(m * p.nFrames, m * p.nFrames + take), m * T + t);
        t += take;
        if (take < p.nFrames) {
          const left = p.nFrames - take;
          const d = new Float32Array(M * left);
          for (let m = 0; m < M; m++) d.set(p.data.subarray(m * p.nFrames + take, (m + 1) * p.nFrames), m * left);
          rest.push({ data: d, nMels: M, nFrames: left, startFrame: p.startFrame + take });
        }
      }
      parts = rest;
      have -= T;
      compress(data);
      yield { data, nMels: M, nFrames: T, startFrame: next };
      next += T;
    }
  }
  const add = (c: MelChunk): void => {
    if (c.nFrames === 0) return;
    parts.push(c);
    have += c.nFrames;
  };
  for await (const x of streamMono(path, mel.sampleRate, {
    lowpassFilterWidth: opts.lowpassFilterWidth,
    rolloff: opts.rolloff,
    worker: opts.worker,
    onInfo: opts.onInfo,
  })) {
    add(stream.push(x));
    yield* drain(false);
  }
  add(stream.flush(path));
  yield* drain(true);
}
