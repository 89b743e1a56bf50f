/**
 * @module
 * Whole-file decoding: `decodeAudio` (all channels, or mono) and `loadMono` (decode, downmix
 * and resample — the front end of the log-mel pipeline). Both stream the file, so the decoded
 * result is the only full copy in memory.
 */
import { FormatError } from '../core/errors.js';
import { openAudio } from './audio-source.js';
import { DEFAULT_AUDIO } from './audio-defaults.js';
import { Resampler, type ResampleOptions } from './resample.js';

/** Decoded audio: one Float32Array per channel (a single one when mono), all at `sampleRate`. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
}

/** Growable float32 buffer, to collect a stream of unknown length. */
class GrowBuffer {
  private buf: Float32Array;
  length = 0;
  constructor(capacity: number) {
    this.buf = new Float32Array(Math.max(capacity, 1024));
  }
  push(x: Float32Array): void {
    if (this.length + x.length > this.buf.length) {
      const grown = new Float32Array(Math.max(this.length + x.length, Math.ceil(this.buf.length * 1.5)));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(x, this.length);
    this.length += x.length;
  }
  /** The contents; trimmed (a copy) only if the buffer is much larger. */
  result(): Float32Array {
    return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
  }
}

/** Mean of the channels of one chunk. */
export function downmixChunk(chunk: readonly Float32Array[]): Float32Array {
  if (chunk.length === 1) return chunk[0]!;
  const n = chunk[0]!.length;
  const out = new Float32Array(n);
  const C = chunk.length;
  if (C === 2) {
    const a = chunk[0]!;
    const b = chunk[1]!;
    for (let i = 0; i < n; i++) out[i] = (a[i]! + b[i]!) / 2;
  } else {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += chunk[c]![i]!;
      out[i] = s / C;
    }
  }
  return out;
}

/**
 * Decodes an audio file (WAV natively, other formats through ffmpeg) to float32 at its native
 * rate, scaled to [-1, 1) as `torchaudio.load` does. With `mono`, channels are averaged while
 * decoding, so only the mono signal is ever held.
 *
 * @example
 * const { sampleRate, channels } = await decodeAudio('talk.wav');
 */
export async function decodeAudio(path: string, opts: { mono?: boolean } = {}): Promise<DecodedAudio> {
  const src = await openAudio(path);
  const { channels: C, sampleRate } = src.info;
  const n = src.info.frames ?? Math.ceil((src.info.duration ?? 0) * sampleRate);
  const bufs = Array.from({ length: opts.mono ? 1 : C }, () => new GrowBuffer(n));
  for await (const chunk of src.chunks()) {
    if (opts.mono) bufs[0]!.push(downmixChunk(chunk));
    else chunk.forEach((ch, c) => bufs[c]!.push(ch));
  }
  return { sampleRate, channels: bufs.map((b) => b.result()) };
}

/**
 * Decodes `path`, downmixes to mono and resamples to `sampleRate` (default 22,050 Hz) with
 * torchaudio's resampler, streaming all the way: memory holds the output and a few chunks.
 *
 * @example
 * const x = await loadMono('broadcast.mp3'); // Float32Array at 22,050 Hz
 */
export async function loadMono(path: string, sampleRate: number = DEFAULT_AUDIO.sampleRate, opts: ResampleOptions = {}): Promise<Float32Array> {
  const src = await openAudio(path);
  const r = new Resampler(src.info.sampleRate, sampleRate, opts);
  const expected = src.info.frames !== null ? r.outputLength(src.info.frames) : Math.ceil((src.info.duration ?? 0) * sampleRate);
  const out = new GrowBuffer(expected);
  for await (const chunk of src.chunks()) out.push(r.push(downmixChunk(chunk)));
  out.push(r.flush());
  if (out.length === 0) throw new FormatError(`${path}: zero-length audio`);
  return out.result();
}
