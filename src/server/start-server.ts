/**
 * @module
 * Runs a server until a signal: listen, then on SIGTERM/SIGINT stop accepting connections,
 * answer requests arriving on open connections with 503, let in-flight requests finish, close
 * the models and resolve. A second signal, or the shutdown deadline, forces the connections
 * shut.
 */
import type { FastifyInstance } from 'fastify';
import type { ModelRegistry } from './model-registry.js';

/** Options of `serveUntilSignal`. */
/** Where `leanml serve` listens unless told: this machine only, port 8080. */
export const DEFAULT_LISTEN: Readonly<{ port: number; host: string }> = Object.freeze({ port: 8080, host: '127.0.0.1' });

export interface RunOptions {
  port: number;
  host: string;
  /** Signals that start a graceful shutdown (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[];
  /** How long in-flight requests get to finish before connections are cut, ms (default 30 s). */
  shutdownTimeoutMs?: number;
  /** Called once listening, with the base URL. */
  onListening?: (url: string) => void;
  /** Status lines (default: stderr). */
  log?: (line: string) => void;
}

/** Listens and resolves once the server has shut down after a signal; returns whether the shutdown was clean. */
export async function serveUntilSignal(app: FastifyInstance, registry: ModelRegistry, opts: RunOptions): Promise<{ clean: boolean }> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  await app.listen({ port: opts.port, host: opts.host });
  const addr = app.server.address();
  const url = typeof addr === 'object' && addr ? `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : String(addr);
  opts.onListening?.(url);

  return new Promise((resolve, reject) => {
    let stopping = false;
    let clean = true;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log(`serve: ${signal} again, closing all connections now`);
        clean = false;
        app.server.closeAllConnections();
        return;
      }
      stopping = true;
      log(`serve: ${signal}, finishing in-flight requests`);
      const deadline = setTimeout(() => {
        log('serve: shutdown deadline reached, closing all connections');
        clean = false;
        app.server.closeAllConnections();
      }, opts.shutdownTimeoutMs ?? 30_000);
      deadline.unref();
      app
        .close()
        .then(() => registry.closeAll())
        .then(() => {
          clearTimeout(deadline);
          for (const s of signals) process.off(s, onSignal);
          log('serve: stopped');
          resolve({ clean });
        }, reject);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
