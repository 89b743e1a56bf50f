/**
 * Accuracy as a distribution: the same learners on the same several splits (or streams), each
 * summarised by mean, standard deviation and minimum, and leanml's paired difference with each
 * reference split by split (so a reader can see whether a difference is larger than the spread).
 * leanml trains with the library defaults (one pass) in process (accuracy does not depend on
 * how it is timed); scikit-learn (one pass), LIBLINEAR and fastText run as processes on the same files.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { evaluate, trainLinear, type TrainOptions } from '../../src/linear/index.js';
import { runFasttext, runLiblinear, runSklearn } from './references.js';

/** Per learner, one accuracy per split (null where the tool is absent). */
export type SplitScores = Record<string, number[]>;

export interface Summary {
  splits: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export function summarize(xs: number[]): Summary {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  const r = (v: number): number => Number(v.toFixed(5));
  return { splits: n, mean: r(mean), sd: r(sd), min: r(Math.min(...xs)), max: r(Math.max(...xs)) };
}

/** A seeded 80/20 shuffled split of `lines`. */
export function shuffledSplit(lines: string[], seed: number, trainFraction = 0.8): { train: string[]; test: string[] } {
  const order = Int32Array.from(lines.keys());
  new Rng(seed).shuffle(order);
  const cut = Math.round(lines.length * trainFraction);
  const shuffled = Array.from(order, (i) => lines[i]!);
  return { train: shuffled.slice(0, cut), test: shuffled.slice(cut) };
}

export interface SplitOptions {
  /** leanml's training options (default: the library defaults). */
  ours?: TrainOptions;
  /** Extra leanml settings measured beside the defaults, by name. */
  oursVariants?: Record<string, TrainOptions>;
  /** LIBLINEAR solver arguments (default: its default solver). */
  liblinear?: string[];
  /** fastText epochs (default 5, fastText's own default). */
  fasttextEpochs?: number;
}

/** Scores every learner on one split given as files; returns accuracy per learner. */
export async function scoreSplit(trainPath: string, testPath: string, trainExamples: number, o: SplitOptions = {}): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const variants: Record<string, TrainOptions> = { leanml: o.ours ?? {}, ...o.oursVariants };
  for (const [name, options] of Object.entries(variants)) {
    const { model } = await trainLinear(trainPath, { ...options, parseThread: false });
    out[name] = (await evaluate(model, testPath)).accuracy;
  }
  const sk = runSklearn(trainPath, testPath, trainExamples, 1, 20);
  if (sk?.accuracy != null) out['scikit-learn one pass'] = sk.accuracy;
  const ll = await runLiblinear(trainPath, testPath, trainExamples, o.liblinear ?? []);
  if (ll?.accuracy != null) out[`LIBLINEAR ${o.liblinear?.join(' ') || 'default'}`] = ll.accuracy;
  const ft = runFasttext(trainPath, testPath, trainExamples, o.fasttextEpochs ?? 5);
  if (ft?.accuracy != null) out[`fastText ${o.fasttextEpochs ?? 5} epochs`] = ft.accuracy;
  return out;
}

/** Runs `scoreSplit` over the splits that `make(seed)` writes, and summarises. */
export async function acrossSplits(
  seeds: number[],
  dir: string,
  make: (seed: number, trainPath: string, testPath: string) => Promise<number>,
  o: SplitOptions = {},
  log: (s: string) => void = (s) => process.stderr.write(s),
): Promise<{
  seeds: number[];
  summary: Record<string, Summary>;
  pairedDifference: Record<string, Summary & { leanmlBetter: number }>;
  perSplit: Record<string, number[]>;
}> {
  const scores: SplitScores = {};
  for (const seed of seeds) {
    const train = join(dir, `split-${seed}-train.txt`);
    const test = join(dir, `split-${seed}-test.txt`);
    const n = await make(seed, train, test);
    const s = await scoreSplit(train, test, n, o);
    for (const [k, v] of Object.entries(s)) (scores[k] ??= []).push(v);
    log(
      `  split ${seed}: ${Object.entries(s)
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join(', ')}\n`,
    );
    rmSync(train, { force: true });
    rmSync(test, { force: true });
  }
  const summary: Record<string, Summary> = {};
  const pairedDifference: Record<string, Summary & { leanmlBetter: number }> = {};
  const ours = scores.leanml ?? [];
  for (const [k, v] of Object.entries(scores)) {
    summary[k] = summarize(v);
    if (k !== 'leanml' && v.length === ours.length) {
      const d = ours.map((x, i) => x - v[i]!);
      pairedDifference[`leanml - ${k}`] = { ...summarize(d), leanmlBetter: d.filter((x) => x > 0).length };
    }
  }
  return { seeds, summary, pairedDifference, perSplit: Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, v.map((x) => Number(x.toFixed(5)))])) };
}

/** Writes lines to a file (one per line). */
export function writeLines(path: string, lines: string[]): void {
  writeFileSync(path, `${lines.join('\n')}\n`);
}
