/**
 * @module
 * Parses the header of a RIFF/WAVE (or RF64/BW64) file: walks every chunk, whatever their order,
 * and finds `fmt ` and `data`. Every size read from the file is checked against the file before
 * it is trusted, so a lying header is an error naming the file and byte offset, never a huge
 * allocation or a hang.
 */
import { FormatError } from '../core/errors.js';
import type { BinaryFile } from '../core/binary-reader.js';

/** How the samples of a WAV `data` chunk are encoded. */
export type WavSampleFormat = 'pcm' | 'float' | 'alaw' | 'mulaw';

/** What the header of a WAV file says. */
export interface WavHeader {
  /** `RIFF`, `RF64` or `BW64`. */
  container: 'RIFF' | 'RF64' | 'BW64';
  /** The `wFormatTag` (0xFFFE for WAVE_FORMAT_EXTENSIBLE). */
  formatTag: number;
  /** The encoding, with WAVE_FORMAT_EXTENSIBLE resolved to its sub-format. */
  sampleFormat: WavSampleFormat;
  channels: number;
  sampleRate: number;
  /** Bits of one sample's container (8, 16, 24, 32 or 64). */
  bitsPerSample: number;
  /** Bytes of one frame (all channels of one sample instant). */
  blockAlign: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Bytes of sample data actually present (whole frames). */
  dataBytes: number;
  /** Sample frames present. */
  frames: number;
}

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'MS ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3 (MP3)',
  0x0161: 'WMA',
  0x2000: 'AC-3',
};

/** Names a codec tag for messages. */
export function wavFormatName(tag: number): string {
  const known: Record<number, string> = { 1: 'PCM', 3: 'IEEE float', 6: 'A-law', 7: 'mu-law', 0xfffe: 'extensible', ...FORMAT_NAMES };
  return `${known[tag] ?? 'unknown'} (format tag 0x${tag.toString(16).padStart(4, '0')})`;
}

function fourcc(b: Uint8Array, at = 0): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

/** Whether four bytes look like a chunk id (printable ASCII), used to cope with writers that forget the pad byte. */
function plausibleId(b: Uint8Array): boolean {
  for (let i = 0; i < 4; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return false;
  return true;
}

/** Whether the first bytes of a file are a WAV header. */
export function isWavMagic(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const riff = fourcc(head, 0);
  return (riff === 'RIFF' || riff === 'RF64' || riff === 'BW64') && fourcc(head, 8) === 'WAVE';
}

/** Reads and validates the header of the WAV file `file`. */
export function parseWavHeader(file: BinaryFile): WavHeader {
  const path = file.path;
  if (file.size < 12) throw new FormatError(`${path}: not a WAV file: only ${file.size} bytes`);
  const head = file.read(0, 12);
  const riff = fourcc(head, 0);
  if (!isWavMagic(head)) throw new FormatError(`${path}: not a WAV file (starts with '${riff.replace(/[^\x20-\x7e]/g, '?')}', expected 'RIFF....WAVE')`);
  const container = riff as WavHeader['container'];
  const view = new DataView(head.buffer);
  // The RIFF size is often wrong (streamed writers leave 0 or 0xFFFFFFFF, others count wrongly),
  // so the file size bounds the walk; bytes past the RIFF size may be junk (an appended ID3 tag).
  const riffSize = view.getUint32(4, true);
  const riffEnd = riffSize >= 4 && container === 'RIFF' ? riffSize + 8 : file.size;
  const end = file.size;

  let ds64Data: number | null = null;
  let fmt: Uint8Array | null = null;
  let fmtAt = 0;
  let dataOffset = -1;
  let dataSize = 0;
  let pos = 12;
  const idBuf = new Uint8Array(8);
  while (pos + 8 <= end) {
    file.read(pos, 8, idBuf);
    let id = fourcc(idBuf);
    if (!plausibleId(idBuf) && pos >= riffEnd) break; // junk after the RIFF body
    if (!plausibleId(idBuf) && pos > 12) {
      // A writer that skipped the pad byte after an odd-sized chunk: the id starts one byte earlier.
      file.read(pos - 1, 8, idBuf);
      if (!plausibleId(idBuf)) throw new FormatError(`${path}: corrupt chunk id at byte ${pos} (bytes ${[...idBuf.subarray(0, 4)].join(',')})`);
      pos -= 1;
      id = fourcc(idBuf);
    }
    const size = new DataView(idBuf.buffer).getUint32(4, true);
    const body = pos + 8;
    if (id === 'ds64') {
      if (size < 24 || body + 24 > file.size) throw new FormatError(`${path}: truncated ds64 chunk at byte ${pos}`);
      const d = new DataView(file.read(body, 24).buffer);
      const big = d.getBigUint64(8, true);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatError(`${path}: ds64 data size at byte ${body + 8} is out of range`);
      ds64Data = Number(big);
    } else if (id === 'fmt ') {
      if (size < 16) throw new FormatError(`${path}: fmt chunk at byte ${pos} has ${size} bytes, expected at least 16`);
      if (body + 16 > file.size) throw new FormatError(`${path}: truncated: fmt chunk at byte ${pos} runs past the end of the file (${file.size} bytes)`);
      fmt = file.read(body, Math.min(size, 40, file.size - body));
      fmtAt = pos;
    } else if (id === 'data') {
      dataOffset = body;
      const available = file.size - body;
      const streamed = riffSize === 0 || riffSize === 0xffffffff;
      if (size === 0xffffffff || (size === 0 && streamed)) {
        // Placeholder sizes from streaming writers (and RF64's -1 with the real size in ds64).
        dataSize = container !== 'RIFF' && ds64Data !== null ? ds64Data : available;
      } else {
        dataSize = size;
      }
      if (dataSize > available) {
        throw new FormatError(`${path}: truncated or lying header: data chunk at byte ${pos} declares ${dataSize} bytes but only ${available} follow`);
      }
      if (fmt) break; // the usual layout; otherwise keep looking for fmt after data
    }
    const skip = id === 'data' ? dataSize : size;
    pos = body + skip + (skip & 1);
  }
  if (!fmt) throw new FormatError(`${path}: WAV file has no fmt chunk`);
  if (dataOffset < 0) throw new FormatError(`${path}: WAV file has no data chunk`);

  const f = new DataView(fmt.buffer, fmt.byteOffset, fmt.byteLength);
  const formatTag = f.getUint16(0, true);
  const channels = f.getUint16(2, true);
  const sampleRate = f.getUint32(4, true);
  const blockAlign = f.getUint16(12, true);
  const bitsPerSample = f.getUint16(14, true);
  let tag = formatTag;
  if (formatTag === 0xfffe) {
    if (fmt.length < 40) throw new FormatError(`${path}: WAVE_FORMAT_EXTENSIBLE fmt chunk at byte ${fmtAt} has ${fmt.length} bytes, expected 40`);
    tag = f.getUint16(24, true); // first two bytes of the sub-format GUID
  }
  const sampleFormat: WavSampleFormat | undefined = tag === 1 ? 'pcm' : tag === 3 ? 'float' : tag === 6 ? 'alaw' : tag === 7 ? 'mulaw' : undefined;
  if (!sampleFormat) {
    throw new FormatError(
      `${path}: unsupported WAV codec ${wavFormatName(tag)}; leanml reads PCM, float, A-law and mu-law WAV natively — install ffmpeg to decode others`,
    );
  }
  if (channels < 1) throw new FormatError(`${path}: fmt chunk at byte ${fmtAt} declares ${channels} channels`);
  if (sampleRate < 1) throw new FormatError(`${path}: fmt chunk at byte ${fmtAt} declares sample rate ${sampleRate}`);
  const okBits = sampleFormat === 'pcm' ? [8, 16, 24, 32] : sampleFormat === 'float' ? [32, 64] : [8];
  if (!okBits.includes(bitsPerSample)) {
    throw new FormatError(`${path}: ${bitsPerSample}-bit ${sampleFormat} samples are not supported (expected ${okBits.join(', ')} bits)`);
  }
  const frameBytes = (bitsPerSample / 8) * channels;
  if (blockAlign !== frameBytes) {
    throw new FormatError(
      `${path}: fmt chunk at byte ${fmtAt}: block align ${blockAlign} does not match ${channels} channels of ${bitsPerSample} bits (${frameBytes})`,
    );
  }
  const frames = Math.floor(dataSize / blockAlign);
  return { container, formatTag, sampleFormat, channels, sampleRate, bitsPerSample, blockAlign, dataOffset, dataBytes: frames * blockAlign, frames };
}
