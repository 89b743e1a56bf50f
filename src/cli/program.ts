/**
 * @module
 * The command table: a commander program with one sub-command per module. Each module's
 * commands live in `cli/<module>.ts`; this file only wires them and sets the shared
 * behaviour (usage errors exit 2 with usage on stderr, `--debug` for stack traces).
 * Modules are imported when needed: `leanml linear ...` loads the linear commands only, not
 * TensorFlow.js and the servers (seconds of start-up and ~50 MiB of memory otherwise).
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';

type Register = (program: Command) => void;

/** Module name -> its commands' registration, loaded on demand. */
const MODULES: Record<string, () => Promise<Register>> = {
  linear: async () => (await import('./linear.js')).registerLinear,
  fasttext: async () => (await import('./fasttext.js')).registerFasttext,
  audio: async () => (await import('./audio.js')).registerAudio,
  speaker: async () => (await import('./speaker.js')).registerSpeaker,
  text: async () => (await import('./text.js')).registerText,
  serve: async () => (await import('./serve.js')).registerServe,
  jobs: async () => (await import('./jobs.js')).registerJobs,
  worker: async () => (await import('./worker.js')).registerWorker,
  demo: async () => (await import('./demo.js')).registerDemo,
};

/**
 * Builds the `leanml` program for `argv` (without node and script): when its first word names
 * a module, only that module's commands are loaded; otherwise (help, unknown command) all are.
 */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('leanml');
  program
    .description('lean, practical machine learning for Node.js')
    .version(VERSION)
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  const first = argv.find((a) => !a.startsWith('-'));
  const names = first !== undefined && Object.hasOwn(MODULES, first) ? [first] : Object.keys(MODULES);
  for (const name of names) (await MODULES[name]!())(program);
  return program;
}
