/**
 * @module
 * Names a file's container from its first bytes, so that errors can say what a file is
 * ("MP3 audio needs ffmpeg") even when nothing can decode it.
 */

function ascii(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = at; i < at + n && i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** The container a file's first bytes (>= 512 recommended) announce, or null if unrecognised. */
export function sniffContainer(head: Uint8Array): string | null {
  const a4 = ascii(head, 0, 4);
  if ((a4 === 'RIFF' || a4 === 'RF64' || a4 === 'BW64') && ascii(head, 8, 4) === 'WAVE') return 'WAV';
  if (a4 === 'RIFF' && ascii(head, 8, 4) === 'AVI ') return 'AVI';
  if (ascii(head, 0, 3) === 'ID3') return 'MP3';
  if (a4 === 'fLaC') return 'FLAC';
  if (a4 === 'OggS') return 'Ogg';
  if (a4 === 'FORM' && (ascii(head, 8, 4) === 'AIFF' || ascii(head, 8, 4) === 'AIFC')) return 'AIFF';
  if (ascii(head, 4, 4) === 'ftyp') return 'MP4';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'Matroska/WebM';
  if (a4 === '.snd') return 'Sun AU';
  if (ascii(head, 0, 6) === '#!AMR') return 'AMR';
  if (ascii(head, 0, 4) === 'caff') return 'CAF';
  if (head.length >= 4 && head[0] === 0x30 && head[1] === 0x26 && head[2] === 0xb2 && head[3] === 0x75) return 'ASF/WMA';
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 1 && head[3] === 0xba) return 'MPEG-PS';
  if (head[0] === 0x47 && (head.length < 189 || head[188] === 0x47)) return 'MPEG-TS';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xf6) === 0xf0) return 'AAC (ADTS)';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) return 'MP3';
  return null;
}
