/**
 * @module
 * Converts interleaved WAV sample bytes to float32 channels, scaled as torchaudio's
 * `load(normalize=True)` does: integers divided by 2^(bits-1) (8-bit is unsigned, centred on
 * 128), floats passed through, A-law/mu-law expanded to 16-bit (G.711) and then scaled.
 */
import type { WavSampleFormat } from './wav-header.js';

/** The sample layout `decodeFrames` needs. */
export interface SampleLayout {
  sampleFormat: WavSampleFormat;
  bitsPerSample: number;
  channels: number;
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

let MULAW: Float32Array | null = null;
let ALAW: Float32Array | null = null;

/** G.711 mu-law byte -> 16-bit value / 32768. */
function mulawTable(): Float32Array {
  if (MULAW) return MULAW;
  MULAW = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff;
    const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
    MULAW[i] = (u & 0x80 ? 0x84 - t : t - 0x84) / 32768;
  }
  return MULAW;
}

/** G.711 A-law byte -> 16-bit value / 32768. */
function alawTable(): Float32Array {
  if (ALAW) return ALAW;
  ALAW = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const a = i ^ 0x55;
    let t = (a & 0x0f) << 4;
    const seg = (a & 0x70) >> 4;
    if (seg === 0) t += 8;
    else if (seg === 1) t += 0x108;
    else t = (t + 0x108) << (seg - 1);
    ALAW[i] = (a & 0x80 ? t : -t) / 32768;
  }
  return ALAW;
}

/**
 * Decodes `frames` interleaved frames from `bytes` into `out[c][outOffset ...]`.
 * `bytes` must hold at least `frames * blockAlign` bytes.
 */
export function decodeFrames(bytes: Uint8Array, layout: SampleLayout, frames: number, out: Float32Array[], outOffset = 0): void {
  const C = layout.channels;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { sampleFormat: fmt, bitsPerSample: bits } = layout;
  // Typed-array views are several times faster than DataView reads, where alignment allows.
  const aligned = LITTLE_ENDIAN && bytes.byteOffset % (bits / 8) === 0 && bits >= 16;
  if (aligned && fmt === 'pcm' && bits === 16) {
    const v = new Int16Array(bytes.buffer, bytes.byteOffset, frames * C);
    for (let c = 0; c < C; c++) {
      const o = out[c]!;
      for (let i = 0, p = c; i < frames; i++, p += C) o[outOffset + i] = v[p]! / 32768;
    }
    return;
  }
  if (aligned && fmt === 'float' && bits === 32) {
    const v = new Float32Array(bytes.buffer, bytes.byteOffset, frames * C);
    for (let c = 0; c < C; c++) {
      const o = out[c]!;
      for (let i = 0, p = c; i < frames; i++, p += C) o[outOffset + i] = v[p]!;
    }
    return;
  }
  for (let c = 0; c < C; c++) {
    const o = out[c]!;
    if (fmt === 'pcm' && bits === 16) {
      for (let i = 0, p = c * 2; i < frames; i++, p += 2 * C) o[outOffset + i] = view.getInt16(p, true) / 32768;
    } else if (fmt === 'pcm' && bits === 24) {
      for (let i = 0, p = c * 3; i < frames; i++, p += 3 * C) {
        const v = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16);
        o[outOffset + i] = ((v << 8) >> 8) / 8388608;
      }
    } else if (fmt === 'pcm' && bits === 32) {
      for (let i = 0, p = c * 4; i < frames; i++, p += 4 * C) o[outOffset + i] = view.getInt32(p, true) / 2147483648;
    } else if (fmt === 'pcm' && bits === 8) {
      for (let i = 0, p = c; i < frames; i++, p += C) o[outOffset + i] = (bytes[p]! - 128) / 128;
    } else if (fmt === 'float' && bits === 32) {
      for (let i = 0, p = c * 4; i < frames; i++, p += 4 * C) o[outOffset + i] = view.getFloat32(p, true);
    } else if (fmt === 'float' && bits === 64) {
      for (let i = 0, p = c * 8; i < frames; i++, p += 8 * C) o[outOffset + i] = view.getFloat64(p, true);
    } else if (fmt === 'mulaw' || fmt === 'alaw') {
      const table = fmt === 'mulaw' ? mulawTable() : alawTable();
      for (let i = 0, p = c; i < frames; i++, p += C) o[outOffset + i] = table[bytes[p]!]!;
    } else {
      throw new Error(`decodeFrames: unsupported ${bits}-bit ${fmt}`);
    }
  }
}
