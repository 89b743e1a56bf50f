/**
 * @module
 * Progress on long work: a real bar on stderr when stderr is a terminal, nothing otherwise
 * (so logs and pipes stay clean).
 */
import cliProgress from 'cli-progress';

/** What long-running library functions report progress to. */
export interface Progress {
  /** Sets the total amount of work (units are the caller's: bytes, examples, frames). */
  start(total: number, label?: string): void;
  /** Moves to `done` units completed. */
  update(done: number): void;
  stop(): void;
}

/** A progress reporter that does nothing. */
export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

/** A bar on `process.stderr` if it is a TTY (and `enabled` is not false), else `silentProgress`. */
export function createProgress(enabled = true): Progress {
  if (!enabled || !process.stderr.isTTY) return silentProgress;
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(total, label = '') {
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
