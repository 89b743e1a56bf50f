/**
 * @module
 * A bound on heavy requests in flight. There is deliberately no queue: when the bound is
 * reached a request is refused at once with `BusyError` (HTTP 503, `Retry-After`), so
 * overload shows up as fast refusals a client or load balancer can act on, never as an
 * unbounded backlog of memory and latency.
 */
import { BusyError } from '../core/errors.js';

/** Counts heavy requests in flight and refuses more than `max`. */
export class HeavyLimiter {
  private inFlight = 0;

  /** @param max heavy requests allowed at once (at least 1) */
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`HeavyLimiter: max must be an integer >= 1, got ${max}`);
  }

  /** Heavy requests running now. */
  get active(): number {
    return this.inFlight;
  }

  /**
   * Runs `work` if a slot is free, else throws `BusyError`. The slot is held until `work`
   * settles (not until the answer is flushed: that costs the server nothing).
   */
  async run<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.inFlight >= this.max) throw new BusyError(`server busy: ${this.max} heavy requests already running; retry shortly`);
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
    }
  }
}
