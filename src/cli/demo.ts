/**
 * @module
 * `leanml demo`: the tour on bundled data.
 */
import type { Command } from 'commander';
import { runDemo } from '../demo/index.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the tour on bundled data: one step per module')
    .option('--only <steps>', 'comma-separated step names to run')
    .action(async (opts: { only?: string }) => {
      await runDemo({ only: opts.only?.split(',').map((s) => s.trim()), log: (s) => process.stdout.write(`${s}\n`) });
    });
}
