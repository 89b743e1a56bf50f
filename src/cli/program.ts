/**
 * @module
 * The command table: a commander program with one sub-command per module. Each module's
 * commands live in `cli/<module>.ts`; this file only wires them and sets the shared
 * behaviour (usage errors exit 2 with usage on stderr, `--debug` for stack traces).
 */
import { Command } from 'commander';
import { registerLinear } from './linear.js';
import { registerFasttext } from './fasttext.js';
import { registerAudio } from './audio.js';
import { registerSpeaker } from './speaker.js';
import { registerText } from './text.js';
import { registerServe } from './serve.js';
import { registerDemo } from './demo.js';
import { VERSION } from '../version.js';

/** Builds the full `leanml` program. Output streams are parameters so tests can capture them. */
export function buildProgram(): Command {
  const program = new Command('leanml');
  program
    .description('lean, practical machine learning for Node.js')
    .version(VERSION)
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  registerLinear(program);
  registerFasttext(program);
  registerAudio(program);
  registerSpeaker(program);
  registerText(program);
  registerServe(program);
  registerDemo(program);
  return program;
}
