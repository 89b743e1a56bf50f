/**
 * @module
 * Opens an audio file of any kind and streams its samples as float32 channels: WAV natively
 * (chunk by chunk, never the whole file in memory), everything else through ffmpeg when it is on
 * the PATH. Errors name the file and what it turned out to be.
 */
import { statSync } from 'node:fs';
import { BinaryFile } from '../core/binary-reader.js';
import { FormatError, NotFoundError } from '../core/errors.js';
import { ffmpegChunks, ffprobe } from './ffmpeg.js';
import { decodeFrames } from './pcm-decode.js';
import { sniffContainer } from './sniff-container.js';
import { parseWavHeader, type WavHeader } from './wav-header.js';

/** What `leanml audio info` reports about a file. */
export interface AudioInfo {
  path: string;
  /** `WAV` (RIFF/RF64), or ffprobe's format name (`mp3`, `mov,mp4,m4a,3gp,3g2,mj2`, ...). */
  container: string;
  /** `pcm_s16le`, `pcm_f32le`, ... for WAV (ffmpeg's names), else ffprobe's codec name. */
  codec: string;
  sampleRate: number;
  channels: number;
  /** Sample frames per channel, when known without decoding (always for WAV). */
  frames: number | null;
  /** Seconds, when known. */
  duration: number | null;
  /** Who decodes it: `native` (leanml's WAV reader) or `ffmpeg`. */
  decoder: 'native' | 'ffmpeg';
}

/** An opened audio file. */
export interface AudioSource {
  info: AudioInfo;
  /** The samples, one Float32Array per channel per chunk, in order. Throws on zero-length audio. */
  chunks(chunkFrames?: number): AsyncIterable<Float32Array[]>;
}

const DEFAULT_CHUNK = 1 << 16;

function wavCodec(h: WavHeader): string {
  if (h.sampleFormat === 'alaw') return 'pcm_alaw';
  if (h.sampleFormat === 'mulaw') return 'pcm_mulaw';
  if (h.sampleFormat === 'float') return `pcm_f${h.bitsPerSample}le`;
  return h.bitsPerSample === 8 ? 'pcm_u8' : `pcm_s${h.bitsPerSample}le`;
}

function checkFile(path: string): number {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`${path}: no such file`);
    throw new FormatError(`${path}: cannot read: ${(err as Error).message}`);
  }
  if (!st.isFile()) throw new FormatError(`${path}: not a regular file`);
  if (st.size === 0) throw new FormatError(`${path}: empty file (0 bytes), not audio`);
  return st.size;
}

function zeroLength(path: string): FormatError {
  return new FormatError(`${path}: zero-length audio (no samples to decode)`);
}

/** A WAV file read natively. */
function wavSource(file: BinaryFile, h: WavHeader): AudioSource {
  const path = file.path;
  file.close();
  return {
    info: {
      path,
      container: h.container === 'RIFF' ? 'WAV' : `WAV (${h.container})`,
      codec: wavCodec(h),
      sampleRate: h.sampleRate,
      channels: h.channels,
      frames: h.frames,
      duration: h.frames / h.sampleRate,
      decoder: 'native',
    },
    async *chunks(chunkFrames = DEFAULT_CHUNK) {
      if (h.frames === 0) throw zeroLength(path);
      const f = BinaryFile.open(path);
      try {
        const bytes = new Uint8Array(chunkFrames * h.blockAlign);
        for (let done = 0; done < h.frames; ) {
          const n = Math.min(chunkFrames, h.frames - done);
          f.read(h.dataOffset + done * h.blockAlign, n * h.blockAlign, bytes);
          const out = Array.from({ length: h.channels }, () => new Float32Array(n));
          decodeFrames(bytes, h, n, out);
          done += n;
          yield out;
        }
      } finally {
        f.close();
      }
    },
  };
}

/** A file decoded by ffmpeg. */
async function ffmpegSource(path: string, what: string): Promise<AudioSource> {
  const p = await ffprobe(path, what);
  return {
    info: {
      path,
      container: p.container,
      codec: p.codec,
      sampleRate: p.sampleRate,
      channels: p.channels,
      frames: null,
      duration: p.duration,
      decoder: 'ffmpeg',
    },
    async *chunks(chunkFrames = DEFAULT_CHUNK) {
      let any = false;
      for await (const c of ffmpegChunks(path, what, p.channels, chunkFrames)) {
        any = true;
        yield c;
      }
      if (!any) throw zeroLength(path);
    },
  };
}

/**
 * Opens `path` for decoding: WAV (PCM 8/16/24/32-bit, float 32/64, A-law, mu-law, plain or
 * WAVE_FORMAT_EXTENSIBLE, RIFF or RF64) natively, anything else through ffmpeg.
 */
export async function openAudio(path: string): Promise<AudioSource> {
  const size = checkFile(path);
  const file = BinaryFile.open(path);
  let head: Uint8Array;
  try {
    head = file.read(0, Math.min(size, 512));
  } catch (err) {
    file.close();
    throw err;
  }
  const kind = sniffContainer(head);
  if (kind === 'WAV') {
    let h: WavHeader;
    try {
      h = parseWavHeader(file);
    } catch (err) {
      file.close();
      // A WAV codec leanml does not decode itself (ADPCM, MP3-in-WAV, ...) may still be ffmpeg's.
      const m = err instanceof FormatError ? /unsupported WAV codec (.*?);/.exec(err.message) : null;
      if (m) return ffmpegSource(path, `WAV with codec ${m[1]}`);
      throw err;
    }
    return wavSource(file, h);
  }
  file.close();
  return ffmpegSource(path, kind ? `${kind} audio` : 'a file of unrecognised type');
}
