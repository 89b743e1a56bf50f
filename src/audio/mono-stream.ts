/**
 * @module
 * `streamMono`: a file's samples downmixed to mono and resampled, chunk by chunk — on the
 * calling thread, or in a worker thread so that decoding (or reading ffmpeg's pipe), downmix
 * and resampling run on a second core while the caller computes on what came before. Both
 * routes run the same code on the same samples, so their output is identical.
 */
import { Worker } from 'node:worker_threads';
import { BusyError, FormatError, type LeanmlError, LimitError, NotFoundError, ShapeError, UsageError } from '../core/errors.js';
import { openAudio, type AudioInfo } from './audio-source.js';
import { downmixChunk } from './decode-audio.js';
import { Resampler, type ResampleOptions } from './resample.js';

/** Options of `streamMono`. */
export interface MonoStreamOptions extends ResampleOptions {
  /** Decode and resample in a worker thread. Default false. */
  worker?: boolean;
  /** Called once with the file's info before any samples. */
  onInfo?: (info: AudioInfo) => void;
}

/** Chunks a worker may send ahead of the consumer (each about 1.5 s of audio): bounds memory. */
const AHEAD = 8;

/** Messages from the worker (see mono-worker.ts). */
export type MonoMessage =
  | { type: 'info'; info: AudioInfo }
  | { type: 'samples'; data: Float32Array }
  | { type: 'end' }
  | { type: 'error'; name: string; message: string; stack?: string };

/** The same thing the worker does, on this thread: yields info first, then sample chunks. */
export async function* monoChunks(path: string, sampleRate: number, opts: ResampleOptions = {}): AsyncGenerator<MonoMessage> {
  const src = await openAudio(path);
  yield { type: 'info', info: src.info };
  const resampler = new Resampler(src.info.sampleRate, sampleRate, opts);
  for await (const chunk of src.chunks()) yield { type: 'samples', data: resampler.push(downmixChunk(chunk)) };
  yield { type: 'samples', data: resampler.flush() };
}

const ERRORS: Record<string, new (m: string) => LeanmlError> = { FormatError, ShapeError, UsageError, NotFoundError, LimitError, BusyError };

/** Rebuilds an error sent by the worker as the class it had there. */
function revive(m: { name: string; message: string; stack?: string }): Error {
  const C = ERRORS[m.name];
  const err = C ? new C(m.message) : new Error(m.message);
  if (m.stack) err.stack = m.stack;
  return err;
}

function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./mono-worker.js', import.meta.url), { workerData });
  // run from the TypeScript sources (tests, tsx): the worker registers tsx itself, since Node 20
  // does not pass the parent's `--import tsx` loader on to worker threads
  const ts = new URL('./mono-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`, { eval: true, workerData });
}

async function* inWorker(path: string, sampleRate: number, opts: ResampleOptions): AsyncGenerator<MonoMessage> {
  const worker = startWorker({ path, sampleRate, lowpassFilterWidth: opts.lowpassFilterWidth, rolloff: opts.rolloff });
  const queue: MonoMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: MonoMessage) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && !failure) failure = new Error(`audio worker exited with code ${code}`);
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0) {
        if (failure) throw failure;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
      const m = queue.shift()!;
      if (m.type === 'end') return;
      if (m.type === 'error') throw revive(m);
      yield m;
      if (m.type === 'samples') worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * The samples of `path`, downmixed (mean of the channels) and resampled to `sampleRate` as
 * `resample` does, in chunks; `onInfo` is called with the file's info before the first chunk.
 *
 * @example
 * for await (const x of streamMono('talk.mp3', 22050, { worker: true })) consume(x);
 */
export async function* streamMono(path: string, sampleRate: number, opts: MonoStreamOptions = {}): AsyncGenerator<Float32Array> {
  const source = opts.worker ? inWorker(path, sampleRate, opts) : monoChunks(path, sampleRate, opts);
  for await (const m of source) {
    if (m.type === 'info') opts.onInfo?.(m.info);
    else if (m.type === 'samples') yield m.data;
  }
}

export { AHEAD as MONO_WORKER_AHEAD };
