/**
 * @module
 * The worker thread behind `streamMono(..., { worker: true })`: decodes, downmixes and
 * resamples one file, posting the chunks (transferred, not copied) and waiting for the
 * consumer's acknowledgements so that at most a few chunks are in flight.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MONO_WORKER_AHEAD, monoChunks, type MonoMessage } from './mono-stream.js';

const port = parentPort!;
const { path, sampleRate, lowpassFilterWidth, rolloff } = workerData as { path: string; sampleRate: number; lowpassFilterWidth?: number; rolloff?: number };
let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  inFlight--;
  wake?.();
  wake = null;
});

const post = (m: MonoMessage): void => {
  if (m.type === 'samples') {
    inFlight++;
    // a chunk may be a view of a larger buffer: transfer only a buffer of its own
    const data = m.data.byteOffset === 0 && m.data.byteLength === m.data.buffer.byteLength ? m.data : m.data.slice();
    port.postMessage({ type: 'samples', data }, [data.buffer as ArrayBuffer]);
  } else port.postMessage(m);
};

try {
  for await (const m of monoChunks(path, sampleRate, { lowpassFilterWidth, rolloff })) {
    post(m);
    while (inFlight >= MONO_WORKER_AHEAD)
      await new Promise<void>((r) => {
        wake = r;
      });
  }
  port.postMessage({ type: 'end' });
} catch (err) {
  const e = err as Error;
  port.postMessage({ type: 'error', name: e.name, message: e.message, stack: e.stack });
} finally {
  port.close();
}
