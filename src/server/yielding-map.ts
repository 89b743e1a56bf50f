/**
 * @module
 * Batch work that gives the event loop a turn every few milliseconds, so one large batch does
 * not stall health checks and small requests, and so concurrent heavy requests really run
 * side by side (which is what `HeavyLimiter` bounds).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BusyError } from '../core/errors.js';

/** Maps `items` through `fn` in order, yielding after every `sliceMs` of work; stops when `signal` aborts. */
export async function yieldingMap<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => R | Promise<R>,
  opts: { sliceMs?: number; signal?: AbortSignal } = {},
): Promise<R[]> {
  const sliceMs = opts.sliceMs ?? 10;
  const out: R[] = new Array(items.length);
  let t0 = performance.now();
  for (let i = 0; i < items.length; i++) {
    out[i] = await fn(items[i]!, i);
    if (performance.now() - t0 >= sliceMs) {
      await nextTurn();
      // the client went away while we yielded: stop spending CPU on an answer nobody reads
      if (opts.signal?.aborted) throw new BusyError('request abandoned by the client');
      t0 = performance.now();
    }
  }
  return out;
}
