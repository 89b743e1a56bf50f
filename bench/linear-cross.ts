/**
 * Throughput end to end (read, parse, hash, learn) on 1M generated cross-feature examples
 * (10 categorical fields + 14 pairwise crosses, ~24 active, ~275k distinct, 7% label noise),
 * one pass, against scikit-learn (and LIBLINEAR, fastText) measured in the same run.
 * ratio = our examples/s over scikit-learn's (both in-process figures, startup excluded).
 * Usage: npm run bench -- linear-cross [--n 1000000] [--bits 20] [--no-extra]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './result.js';
import { INTERACTIONS, writeCrossData } from './linear/cross-data.js';
import { runOurs } from './linear/ours.js';
import { runFasttext, runLiblinear, runSklearn } from './linear/references.js';

const DATA = fileURLToPath(new URL('./data/', import.meta.url));

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

export async function run(args: string[]): Promise<BenchResult> {
  const n = arg(args, '--n', 1_000_000);
  const bits = arg(args, '--bits', 20);
  const extra = !args.includes('--no-extra');
  mkdirSync(DATA, { recursive: true });
  const base = `${DATA}cross-${n}`;
  if (!existsSync(`${base}-meta.json`)) {
    process.stderr.write(`linear-cross: generating ${n} + ${n / 5} examples under bench/data/ ...\n`);
    const meta = await writeCrossData(`${base}-train.txt`, `${base}-train.vw`, { n, seed: 1, noise: 0.07, drift: false });
    await writeCrossData(`${base}-test.txt`, `${base}-test.vw`, { n: n / 5, seed: 2, noise: 0.07, drift: false });
    writeFileSync(`${base}-meta.json`, JSON.stringify(meta));
  }
  const data = JSON.parse(readFileSync(`${base}-meta.json`, 'utf8')) as { distinct: number; bayesAccuracy: number };
  const train = `${base}-train.txt`;
  const test = `${base}-test.txt`;

  process.stderr.write('linear-cross: leanml (3 runs) ...\n');
  const ours = await runOurs(train, test, { features: { mode: 'hash', bits } }, { repeats: 3, cliArgs: ['--bits', String(bits)] });
  process.stderr.write('linear-cross: scikit-learn ...\n');
  const sklearn = runSklearn(train, test, n, 1, bits);
  process.stderr.write('linear-cross: leanml, Vowpal Wabbit format with crosses built on the fly ...\n');
  const oursVw = await runOurs(`${base}-train.vw`, `${base}-test.vw`, { features: { mode: 'hash', bits, interactions: INTERACTIONS } }, { repeats: 1 });
  const others = [];
  if (extra) {
    process.stderr.write('linear-cross: fastText, LIBLINEAR ...\n');
    others.push(runFasttext(train, test, n, 1), await runLiblinear(train, test, n, ['-s', '2']));
  }
  return {
    name: 'linear-cross',
    ours: {
      ...ours,
      setting: `one pass, defaults + hashing into 2^${bits} slots; crosses spelled out in the fastText-format file`,
      vwFormatOnTheFlyCrosses: { examplesPerSecond: oursVw.examplesPerSecond, accuracy: oursVw.accuracy, progressiveError: oursVw.progressiveError },
      data: { examples: n, testExamples: n / 5, distinctFeatures: data.distinct, bayesAccuracy: data.bayesAccuracy, labelNoise: 0.07 },
    },
    reference: sklearn ? { ...sklearn } : null,
    ratio: sklearn?.examplesPerSecond ? ours.examplesPerSecond / sklearn.examplesPerSecond : null,
    note: [
      'ratio = leanml examples/s / scikit-learn examples/s, both in-process (read + parse + hash + learn); CLI and reference process wall times and peak RSS also reported.',
      'Vowpal Wabbit is not installable here (no Debian package, no other registry): not measured.',
      ...others.filter((o) => o !== null).map((o) => `other reference: ${JSON.stringify(o)}`),
    ].join(' '),
  };
}
