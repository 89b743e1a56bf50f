/**
 * @module
 * The command table: a commander program with one sub-command per module. Each module's
 * commands live in `cli/<module>.ts`; this file only wires them and sets the shared
 * behaviour (usage errors exit 2 with usage on stderr, `--debug` for stack traces).
 *
 * A module's file (and the libraries it pulls in: TensorFlow.js, fastify, ...) is loaded only
 * when its command runs: `leanml speaker detect` never loads the server, and `leanml --help`
 * loads every group to list them.
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';

type Register = (program: Command) => void;

/** Command groups by their first word, each loaded on demand. */
const GROUPS: Record<string, () => Promise<Register>> = {
  linear: async () => (await import('./linear.js')).registerLinear,
  fasttext: async () => (await import('./fasttext.js')).registerFasttext,
  audio: async () => (await import('./audio.js')).registerAudio,
  speaker: async () => (await import('./speaker.js')).registerSpeaker,
  serve: async () => (await import('./serve.js')).registerServe,
  demo: async () => (await import('./demo.js')).registerDemo,
};

/**
 * Builds the `leanml` program. With `argv` naming a command group first (`speaker detect ...`)
 * only that group is registered; otherwise (help, version, an unknown word) all of them.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('leanml');
  program
    .description('lean, practical machine learning for Node.js')
    .version(VERSION)
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  const first = argv.find((a) => !a.startsWith('-'));
  const names = first !== undefined && Object.hasOwn(GROUPS, first) ? [first] : Object.keys(GROUPS);
  for (const register of await Promise.all(names.map((n) => GROUPS[n]!()))) register(program);
  return program;
}
