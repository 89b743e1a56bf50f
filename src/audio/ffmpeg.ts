/**
 * @module
 * Decoding through the `ffmpeg` and `ffprobe` executables (any container and codec they know):
 * the first audio stream is decoded to interleaved float32 at its native rate and channel count
 * and read as a stream, so memory stays bounded. A decoder that stops producing output is killed
 * after an idle timeout rather than left to hang. `LEANML_FFMPEG` / `LEANML_FFPROBE` override the
 * executables.
 */
import { spawn } from 'node:child_process';
import { FormatError } from '../core/errors.js';

/** What ffprobe says about a file's first audio stream. */
export interface ProbeResult {
  container: string;
  codec: string;
  sampleRate: number;
  channels: number;
  /** Seconds, when the container says. */
  duration: number | null;
}

const IDLE_MS = 60_000;

function ffmpegPath(): string {
  return process.env['LEANML_FFMPEG'] ?? 'ffmpeg';
}
function ffprobePath(): string {
  return process.env['LEANML_FFPROBE'] ?? 'ffprobe';
}

/** The error for a file that needs ffmpeg when ffmpeg is missing. */
export function ffmpegMissing(path: string, what: string, tool = 'ffmpeg'): FormatError {
  return new FormatError(
    `${path}: ${what}; leanml decodes only WAV by itself, and this needs ${tool}, which is not on the PATH. ` +
      'Install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) ' +
      'or convert the file to WAV.',
  );
}

/** Runs a command to completion with a time limit; resolves with stdout, stderr and exit code. */
function runCapture(cmd: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string; code: number | null; missing: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d.length + stderr.length > 1 << 16 ? '' : d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ stdout, stderr: err.message, code: null, missing: err.code === 'ENOENT' });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, missing: false });
    });
  });
}

function lastLine(s: string): string {
  const lines = s
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.length ? lines[lines.length - 1]!.trim() : 'no message';
}

/** Probes `path` with ffprobe; `what` names the file's sniffed type in errors. */
export async function ffprobe(path: string, what: string): Promise<ProbeResult> {
  const r = await runCapture(
    ffprobePath(),
    ['-v', 'error', '-show_entries', 'format=format_name,duration:stream=index,codec_type,codec_name,sample_rate,channels,duration', '-of', 'json', path],
    60_000,
  );
  if (r.missing) throw ffmpegMissing(path, what, 'ffprobe (part of ffmpeg)');
  if (r.code !== 0) throw new FormatError(`${path}: not a readable audio file (${what}); ffprobe says: ${lastLine(r.stderr)}`);
  let parsed: { format?: { format_name?: string; duration?: string }; streams?: Array<Record<string, unknown>> };
  try {
    parsed = JSON.parse(r.stdout) as typeof parsed;
  } catch {
    throw new FormatError(`${path}: ffprobe printed output that is not JSON`);
  }
  const audio = (parsed.streams ?? []).find((s) => s['codec_type'] === 'audio');
  if (!audio) throw new FormatError(`${path}: no audio stream (container ${parsed.format?.format_name ?? what})`);
  const sampleRate = Number(audio['sample_rate']);
  const channels = Number(audio['channels']);
  if (!(sampleRate > 0) || !(channels > 0))
    throw new FormatError(`${path}: audio stream has no usable sample rate / channel count (codec ${String(audio['codec_name'])})`);
  const dur = Number(audio['duration'] ?? parsed.format?.duration);
  return {
    container: parsed.format?.format_name ?? what,
    codec: String(audio['codec_name'] ?? 'unknown'),
    sampleRate,
    channels,
    duration: Number.isFinite(dur) ? dur : null,
  };
}

/**
 * Decodes the first audio stream of `path` to float32 channels at the native rate, yielding
 * chunks of about `chunkFrames` frames.
 */
export async function* ffmpegChunks(path: string, what: string, channels: number, chunkFrames = 1 << 16): AsyncGenerator<Float32Array[]> {
  const child = spawn(
    ffmpegPath(),
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      path,
      '-map',
      '0:a:0',
      '-vn',
      '-sn',
      '-dn',
      '-ac',
      String(channels),
      '-f',
      'f32le',
      '-c:a',
      'pcm_f32le',
      '-',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 1 << 16) stderr += d;
  });
  let spawnError: NodeJS.ErrnoException | null = null;
  child.on('error', (err: NodeJS.ErrnoException) => (spawnError = err));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let idle = false;
  let timer = setTimeout(() => ((idle = true), child.kill('SIGKILL')), IDLE_MS);
  const frameBytes = 4 * channels;
  const chunkBytes = chunkFrames * frameBytes;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Cuts what has arrived into chunks of whole frames; a partial frame waits for more bytes.
  const emit = function* (final: boolean): Generator<Float32Array[]> {
    if (pendingBytes < chunkBytes && !final) return;
    const all = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    let off = 0;
    while (all.length - off >= chunkBytes || (final && all.length - off >= frameBytes)) {
      const left = all.length - off;
      const n = Math.min(chunkBytes, left - (left % frameBytes));
      const frames = n / frameBytes;
      const interleaved = new Float32Array(all.buffer.slice(all.byteOffset + off, all.byteOffset + off + n));
      const out = Array.from({ length: channels }, () => new Float32Array(frames));
      for (let c = 0; c < channels; c++) {
        const o = out[c]!;
        for (let i = 0, p = c; i < frames; i++, p += channels) o[i] = interleaved[p]!;
      }
      off += n;
      yield out;
    }
    if (off < all.length) {
      pending = [Buffer.from(all.subarray(off))];
      pendingBytes = all.length - off;
    }
  };
  try {
    for await (const data of child.stdout as AsyncIterable<Buffer>) {
      clearTimeout(timer);
      timer = setTimeout(() => ((idle = true), child.kill('SIGKILL')), IDLE_MS);
      pending.push(data);
      pendingBytes += data.length;
      yield* emit(false);
    }
    const code = await exited;
    clearTimeout(timer);
    if (spawnError) {
      if ((spawnError as NodeJS.ErrnoException).code === 'ENOENT') throw ffmpegMissing(path, what);
      throw new FormatError(`${path}: could not run ffmpeg: ${(spawnError as Error).message}`);
    }
    if (idle) throw new FormatError(`${path}: ffmpeg produced no output for ${IDLE_MS / 1000} s and was stopped`);
    if (code !== 0) throw new FormatError(`${path}: ffmpeg could not decode the audio (${what}): ${lastLine(stderr)}`);
    yield* emit(true);
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
