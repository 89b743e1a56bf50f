/**
 * Runs one benchmark by name and prints its JSON result on stdout:
 * `{"name", "ours": {...}, "reference": {"tool", ...} | null, "ratio", "note"?}`, ratio > 1 meaning
 * leanml is better than the reference measured in the same run.
 * Usage: npm run bench -- NAME [args...]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './result.js';

const NAMES = [
  'linear-spam',
  'linear-cross',
  'linear-drift',
  'fasttext-oov',
  'fasttext-nn',
  'fasttext-ivf',
  'audio-mel',
  'nn-train-step',
  'nn-embedding-bag',
  'nn-similarity',
  'speaker-eval',
  'serve-load',
  'jobs-scale',
  'text-eval',
  'text-train',
  'speaker-speed',
  'fasttext-predict',
];

const [name, ...args] = process.argv.slice(2);
if (!name || !NAMES.includes(name)) {
  process.stderr.write(`usage: npm run bench -- NAME [args]\nNAME is one of: ${NAMES.join(', ')}\n`);
  process.exit(2);
}
const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
if (!existsSync(file)) {
  process.stderr.write(`bench ${name}: not implemented yet (no bench/${name}.ts)\n`);
  process.exit(1);
}
const mod = (await import(file)) as { run(args: string[]): Promise<BenchResult> };
const result = await mod.run(args);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
