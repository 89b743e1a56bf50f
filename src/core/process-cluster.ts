/**
 * @module
 * `runOnCores`: runs a long-lived command as N processes (node:cluster) so CPU-bound work uses
 * every core. The primary only supervises: it forwards a shutdown to the workers (SIGTERM or
 * SIGINT once = finish what is running, twice = stop now), replaces a worker that dies
 * unexpectedly (at most `maxRestarts` a minute), and exits when all workers have exited.
 * Workers take shutdown requests from the primary over IPC, not from the terminal's signals,
 * so Ctrl-C is handled once, in order.
 */
import cluster from 'node:cluster';

/** Signal-like shutdown requests a worker receives, raised in it as this signal. */
const SHUTDOWN_SIGNAL: NodeJS.Signals = 'SIGTERM';

/** Options of `runOnCores`. */
export interface ClusterOptions {
  /** Name in log lines, e.g. `serve`. */
  label: string;
  /** Status lines (default stderr). */
  log?: (line: string) => void;
  /** Replacements of dead workers allowed per minute before giving up. Default 5. */
  maxRestarts?: number;
  /** A server: a process that exits before it ever listened (bad model path, port taken) stops them all instead of being replaced. */
  server?: boolean;
  /** Called in the primary once every worker is listening (servers only). */
  onAllListening?: (address: { address: string; port: number }) => void;
}

/** Whether this process is a worker started by `runOnCores`. */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/**
 * With `processes` > 1 in the primary: forks that many copies of this command and supervises
 * them; resolves with the exit code. In a worker, or with one process: runs `main` here, and in
 * a worker turns the primary's shutdown requests into SIGTERM (`main` handles SIGTERM).
 */
export async function runOnCores(processes: number, opts: ClusterOptions, main: () => Promise<number>): Promise<number> {
  if (cluster.isWorker) {
    // a request that arrives before `main` listens for SIGTERM (still loading) ends the process at once
    const shutdown = () => (process.listenerCount(SHUTDOWN_SIGNAL) > 0 ? process.emit(SHUTDOWN_SIGNAL, SHUTDOWN_SIGNAL) : process.exit(0));
    const onMessage = (m: unknown) => {
      if (m === 'shutdown') shutdown();
    };
    process.on('SIGINT', () => {}); // the primary decides; it sends 'shutdown' once per Ctrl-C
    process.on('message', onMessage);
    process.once('disconnect', shutdown); // primary gone
    try {
      return await main();
    } finally {
      // the IPC channel would keep this process alive after `main` is done
      process.off('disconnect', shutdown);
      process.off('message', onMessage);
      setImmediate(() => cluster.worker?.disconnect());
    }
  }
  if (processes <= 1) return main();
  return supervise(processes, opts);
}

function supervise(n: number, opts: ClusterOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxRestarts = opts.maxRestarts ?? 5;
  const restarts: number[] = [];
  let stopping = 0;
  let failed = false;
  let listening = 0;
  return new Promise((resolve) => {
    const fork = () => cluster.fork();
    const onSignal = (signal: NodeJS.Signals) => {
      stopping++;
      log(`${opts.label}: ${signal}${stopping > 1 ? ' again' : ''}, stopping ${Object.keys(cluster.workers ?? {}).length} processes`);
      for (const w of Object.values(cluster.workers ?? {})) if (w?.isConnected()) w.send('shutdown');
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    const listened = new Set<number>();
    cluster.on('listening', (w, addr) => {
      listened.add(w.id);
      if (++listening === n) opts.onAllListening?.({ address: addr.address ?? '127.0.0.1', port: addr.port });
    });
    cluster.on('exit', (w, code, signal) => {
      if (stopping === 0 && opts.server && !listened.has(w.id)) {
        log(`${opts.label}: process ${w.process.pid} exited (${signal ?? `exit ${code}`}) before it could listen; stopping`);
        failed = true;
        onSignal('SIGTERM');
      } else if (stopping === 0) {
        const now = Date.now();
        restarts.push(now);
        while (restarts.length > 0 && restarts[0]! < now - 60_000) restarts.shift();
        if (restarts.length > maxRestarts) {
          log(`${opts.label}: process ${w.process.pid} died (${signal ?? `exit ${code}`}); ${maxRestarts} restarts within a minute, giving up`);
          failed = true;
          onSignal('SIGTERM');
        } else {
          log(`${opts.label}: process ${w.process.pid} died (${signal ?? `exit ${code}`}); starting a replacement`);
          fork();
          return;
        }
      } else if (code !== 0) failed = true;
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        resolve(failed ? 1 : 0);
      }
    });
    for (let i = 0; i < n; i++) fork();
  });
}
