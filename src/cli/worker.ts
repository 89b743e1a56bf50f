/**
 * @module
 * `leanml worker`: takes jobs from a queue until SIGTERM/SIGINT (then finishes the jobs it
 * is running). `--concurrency N` runs N processes, one job each, since the work is CPU-bound.
 */
import type { Command } from 'commander';
import { runOnCores } from '../core/process-cluster.js';
import { DEFAULT_WORKER, QueueError, startWorker } from '../jobs/index.js';
import { openFromFlags, queueOptions } from './jobs.js';
import { intArg } from './options.js';

export function registerWorker(program: Command): void {
  queueOptions(program.command('worker'))
    .description('take jobs submitted by `leanml jobs submit` and run them (start one per machine that sees the inputs); stops cleanly on SIGTERM/SIGINT')
    .option('--concurrency <n>', "jobs at once, one process each (use the machine's core count)", intArg(1, 1024), DEFAULT_WORKER.concurrency)
    .option('--lock-ms <ms>', "job lock lifetime: a dead worker's job is run again after about this long", intArg(500, 3_600_000), DEFAULT_WORKER.lockMs)
    .action(async (o: { queue?: string; name: string; connectTimeout: number; concurrency: number; lockMs: number }) => {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // check the queue once in the primary, so a bad URL or version is one clear error, not one per process
      if (o.concurrency > 1) await (await openFromFlags(o)).close();
      const code = await runOnCores(o.concurrency, { label: 'worker', log }, async () => {
        const w = await startWorker(o.queue!, { name: o.name, lockMs: o.lockMs, connectTimeoutMs: o.connectTimeout, log });
        await new Promise<void>((resolve) => {
          const stop = (signal: NodeJS.Signals) => {
            log(`worker: ${process.pid} ${signal}, finishing the running job`);
            process.off('SIGTERM', stop);
            process.off('SIGINT', stop);
            resolve();
          };
          process.on('SIGTERM', stop);
          process.on('SIGINT', stop);
        });
        await w.close();
        log(`worker: ${process.pid} stopped`);
        return 0;
      });
      if (code !== 0) throw new QueueError('worker: a worker process failed (see the lines above)');
    });
}
