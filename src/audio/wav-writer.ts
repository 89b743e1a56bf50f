/**
 * @module
 * Writes mono or multichannel float32 audio as a 32-bit IEEE-float WAV (WAVE_FORMAT_IEEE_FLOAT
 * with a `fact` chunk), the lossless format `leanml audio resample` produces.
 */
import { writeFileSync } from 'node:fs';
import { ShapeError, UsageError } from '../core/errors.js';

/** Encodes `channels` (equal lengths) at `sampleRate` as a float32 WAV file's bytes. */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const C = channels.length;
  if (C < 1) throw new ShapeError('encodeWav: no channels');
  if (!Number.isSafeInteger(sampleRate) || sampleRate < 1) throw new UsageError(`encodeWav: sample rate must be a positive integer, got ${sampleRate}`);
  const n = channels[0]!.length;
  if (channels.some((c) => c.length !== n)) throw new ShapeError('encodeWav: channels differ in length');
  const dataBytes = n * C * 4;
  if (dataBytes + 58 > 0xffffffff) throw new UsageError(`encodeWav: ${dataBytes} bytes of samples do not fit a RIFF WAV (4 GiB); write .npy instead`);
  const out = new Uint8Array(58 + dataBytes);
  const v = new DataView(out.buffer);
  const tag = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  v.setUint32(4, 50 + dataBytes, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  v.setUint32(16, 18, true);
  v.setUint16(20, 3, true); // IEEE float
  v.setUint16(22, C, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * C * 4, true);
  v.setUint16(32, C * 4, true);
  v.setUint16(34, 32, true);
  v.setUint16(36, 0, true); // cbSize
  tag(38, 'fact');
  v.setUint32(42, 4, true);
  v.setUint32(46, n, true);
  tag(50, 'data');
  v.setUint32(54, dataBytes, true);
  for (let i = 0, p = 58; i < n; i++) for (let c = 0; c < C; c++, p += 4) v.setFloat32(p, channels[c]![i]!, true);
  return out;
}

/** Writes `channels` at `sampleRate` to `path` as a float32 WAV. */
export function writeWav(path: string, channels: readonly Float32Array[], sampleRate: number): void {
  writeFileSync(path, encodeWav(channels, sampleRate));
}
