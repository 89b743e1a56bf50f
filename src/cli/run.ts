/**
 * @module
 * Runs the CLI and maps every outcome to an exit code in one place: 0 ok, 1 runtime error
 * (one clear line, stack only with --debug), 2 bad usage (usage on stderr).
 */
import { CommanderError } from 'commander';
import { describeError, exitCodeOf, UsageError } from '../core/errors.js';
import { buildProgram } from './program.js';

/** Runs `leanml` with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  const debug = argv.includes('--debug');
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version requested explicitly exit 0; a command group run bare prints help and exits 2
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      return 2;
    }
    process.stderr.write(`leanml: ${describeError(err)}\n`);
    if (err instanceof UsageError) process.stderr.write('(run with --help for usage)\n');
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return exitCodeOf(err);
  }
}
