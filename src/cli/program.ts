/**
 * @module
 * The command table: a commander program with one sub-command per module. Each module's
 * commands live in `cli/<module>.ts`; this file only wires them and sets the shared
 * behaviour (usage errors exit 2 with usage on stderr, `--debug` for stack traces).
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';

type Register = (program: Command) => void;

/**
 * The command groups in help order, each imported only when needed: `leanml fasttext predict`
 * should not pay for loading TensorFlow.js or the HTTP server before its first line.
 */
const GROUPS: Record<string, () => Promise<Register>> = {
  linear: async () => (await import('./linear.js')).registerLinear,
  fasttext: async () => (await import('./fasttext.js')).registerFasttext,
  audio: async () => (await import('./audio.js')).registerAudio,
  speaker: async () => (await import('./speaker.js')).registerSpeaker,
  serve: async () => (await import('./serve.js')).registerServe,
  demo: async () => (await import('./demo.js')).registerDemo,
};

/**
 * Builds the `leanml` program. Given the arguments, it registers only the group they name
 * (all groups for top-level help or an unknown command).
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
  const versionOnly = first === undefined && (argv.includes('-V') || argv.includes('--version'));
  const names = first !== undefined && Object.hasOwn(GROUPS, first) ? [first] : versionOnly ? [] : Object.keys(GROUPS);
  for (const name of names) (await GROUPS[name]!())(program);
  return program;
}
