/**
 * @module
 * Writes audio as WAV: `encodeWav` / `writeWav` write float32 samples as a 32-bit IEEE-float WAV
 * (WAVE_FORMAT_IEEE_FLOAT with a `fact` chunk), the lossless format `leanml audio resample`
 * produces; `encodeWavHeader` gives the header alone, for writers that stream the samples
 * (16-bit PCM or 32-bit float) after it.
 */
import { writeFileSync } from 'node:fs';
import { ShapeError, UsageError } from '../core/errors.js';

/** Sample encodings `encodeWavHeader` describes: 16-bit signed PCM or 32-bit IEEE float. */
export type WavEncoding = 'pcm16' | 'float32';

export interface WavHeaderOptions {
  sampleRate: number;
  channels: number;
  /** Samples per channel. */
  frames: number;
  /** Default `float32`. */
  encoding?: WavEncoding;
}

/**
 * The header of a WAV file holding `frames` interleaved frames (44 bytes for `pcm16`, 58 with the
 * `fact` chunk for `float32`); the samples, little-endian and interleaved, follow it.
 */
export function encodeWavHeader(o: WavHeaderOptions): Uint8Array {
  const encoding = o.encoding ?? 'float32';
  const C = o.channels;
  if (!Number.isSafeInteger(C) || C < 1) throw new ShapeError(`encodeWavHeader: channels must be a positive integer, got ${C}`);
  if (!Number.isSafeInteger(o.sampleRate) || o.sampleRate < 1)
    throw new UsageError(`encodeWavHeader: sample rate must be a positive integer, got ${o.sampleRate}`);
  if (!Number.isSafeInteger(o.frames) || o.frames < 0) throw new ShapeError(`encodeWavHeader: frames must be a non-negative integer, got ${o.frames}`);
  const float = encoding === 'float32';
  const bytesPerSample = float ? 4 : 2;
  const headerBytes = float ? 58 : 44;
  const dataBytes = o.frames * C * bytesPerSample;
  if (dataBytes + headerBytes > 0xffffffff)
    throw new UsageError(`encodeWavHeader: ${dataBytes} bytes of samples do not fit a RIFF WAV (4 GiB); write .npy instead`);
  const out = new Uint8Array(headerBytes);
  const v = new DataView(out.buffer);
  const tag = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  v.setUint32(4, headerBytes - 8 + dataBytes, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  v.setUint32(16, float ? 18 : 16, true);
  v.setUint16(20, float ? 3 : 1, true); // IEEE float or PCM
  v.setUint16(22, C, true);
  v.setUint32(24, o.sampleRate, true);
  v.setUint32(28, o.sampleRate * C * bytesPerSample, true);
  v.setUint16(32, C * bytesPerSample, true);
  v.setUint16(34, bytesPerSample * 8, true);
  let p = 36;
  if (float) {
    v.setUint16(36, 0, true); // cbSize
    tag(38, 'fact');
    v.setUint32(42, 4, true);
    v.setUint32(46, o.frames, true);
    p = 50;
  }
  tag(p, 'data');
  v.setUint32(p + 4, dataBytes, true);
  return out;
}

/** Encodes `channels` (equal lengths) at `sampleRate` as a float32 WAV file's bytes. */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const C = channels.length;
  if (C < 1) throw new ShapeError('encodeWav: no channels');
  const n = channels[0]!.length;
  if (channels.some((c) => c.length !== n)) throw new ShapeError('encodeWav: channels differ in length');
  const header = encodeWavHeader({ sampleRate, channels: C, frames: n });
  const out = new Uint8Array(header.length + n * C * 4);
  out.set(header, 0);
  const v = new DataView(out.buffer);
  for (let i = 0, p = header.length; i < n; i++) for (let c = 0; c < C; c++, p += 4) v.setFloat32(p, channels[c]![i]!, true);
  return out;
}

/** Writes `channels` at `sampleRate` to `path` as a float32 WAV. */
export function writeWav(path: string, channels: readonly Float32Array[], sampleRate: number): void {
  writeFileSync(path, encodeWav(channels, sampleRate));
}
