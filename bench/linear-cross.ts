/**
 * Throughput and accuracy on generated cross-feature data (10 categorical fields + 14 pairwise
 * crosses, ~24 active features, ~274k distinct, 7% label noise; bench/linear/cross-data.ts).
 *
 * Throughput, as a user gets it: `leanml linear train` with its defaults (exact lookup, parse
 * thread) run as a process on 1M examples — wall time with Node's start-up and the model
 * write included, peak RSS — in fastText format and in Vowpal Wabbit format (the same tokens
 * in one namespace), alternated round by round with scikit-learn's HashingVectorizer +
 * SGDClassifier one-pass script (training only) on the same examples; medians over the rounds
 * and the median of the per-round ratios (ratio = leanml examples/s over scikit-learn's).
 * fastText (1 epoch) and LIBLINEAR (-s 2) are timed once beside; Vowpal Wabbit when present.
 *
 * Accuracy (`--splits N`, default 10): a fresh pool of 200k examples (generator seed 5), N
 * seeded 80/20 shuffled splits, every learner on the same splits (bench/linear/splits.ts).
 * Usage: npm run build && npm run bench -- linear-cross [--n 1000000] [--rounds 3] [--splits 10] [--no-throughput] [--no-accuracy]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, loadLinearModel } from '../src/linear/index.js';
import { timeCommand, type BenchResult } from './result.js';
import { writeCrossData } from './linear/cross-data.js';
import { runFasttext, runLiblinear } from './linear/references.js';
import { acrossSplits, shuffledSplit, writeLines } from './linear/splits.js';
import { runVw, VW_ABSENT } from './linear/vw.js';

const DATA = fileURLToPath(new URL('./data/', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const SKLEARN = fileURLToPath(new URL('./linear/sklearn_sgd.py', import.meta.url));

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Generates (once) n training and n/5 test examples in fastText, VW-fields and VW one-namespace form. */
async function crossData(n: number): Promise<string> {
  mkdirSync(DATA, { recursive: true });
  const base = `${DATA}cross-${n}`;
  if (!existsSync(`${base}-meta.json`)) {
    process.stderr.write(`linear-cross: generating ${n} + ${n / 5} examples under bench/data/ ...\n`);
    const meta = await writeCrossData(`${base}-train.txt`, `${base}-train.vw`, { n, seed: 1, noise: 0.07, drift: false, flatVwPath: `${base}-train-flat.vw` });
    await writeCrossData(`${base}-test.txt`, `${base}-test.vw`, { n: n / 5, seed: 2, noise: 0.07, drift: false, flatVwPath: `${base}-test-flat.vw` });
    writeFileSync(`${base}-meta.json`, JSON.stringify(meta));
  }
  return base;
}

/** The CLI with defaults vs scikit-learn, alternated, in both formats. */
async function throughput(base: string, n: number, rounds: number): Promise<Record<string, unknown>> {
  if (!existsSync(CLI)) throw new Error('linear-cross: build first (npm run build): the CLI is timed as users run it, from dist/');
  const dir = mkdtempSync(join(tmpdir(), 'leanml-cross-'));
  try {
    const out: Record<string, unknown> = {};
    for (const [fmt, file, test] of [
      ['fasttext', `${base}-train.txt`, `${base}-test.txt`],
      ['vw', `${base}-train-flat.vw`, `${base}-test-flat.vw`],
    ] as const) {
      const ours: { wall: number; rss: number }[] = [];
      const sk: { wall: number; rss: number }[] = [];
      const ratios: number[] = [];
      const model = join(dir, `${fmt}.bin`);
      for (let r = 0; r < rounds; r++) {
        process.stderr.write(`linear-cross: ${fmt} round ${r + 1}/${rounds} ...\n`);
        const a = timeCommand(process.execPath, [CLI, 'linear', 'train', '--input', file, '--model', model, '--quiet']);
        if (a.status !== 0) throw new Error(`leanml linear train failed: ${a.stderr}`);
        const b = timeCommand('/usr/bin/python3', [SKLEARN, `${base}-train.txt`, '-', '1', '20']);
        if (b.status !== 0) throw new Error(`scikit-learn failed: ${b.stderr}`);
        ours.push({ wall: a.seconds, rss: a.peakRssMiB });
        sk.push({ wall: b.seconds, rss: b.peakRssMiB });
        ratios.push(b.seconds / a.seconds);
      }
      const m = await loadLinearModel(model);
      const acc = await evaluate(m, test);
      out[fmt] = {
        leanml: {
          wallSeconds: median(ours.map((o) => o.wall)),
          examplesPerSecond: Math.round(n / median(ours.map((o) => o.wall))),
          peakRssMiB: median(ours.map((o) => o.rss)),
          testAccuracy: acc.accuracy,
          rounds: ours,
        },
        scikitLearn: {
          wallSeconds: median(sk.map((o) => o.wall)),
          examplesPerSecond: Math.round(n / median(sk.map((o) => o.wall))),
          peakRssMiB: median(sk.map((o) => o.rss)),
          rounds: sk,
        },
        ratio: Number(median(ratios).toFixed(3)),
        roundRatios: ratios.map((x) => Number(x.toFixed(3))),
      };
    }
    const ft = runFasttext(`${base}-train.txt`, `${base}-test.txt`, n, 1);
    const ll = await runLiblinear(`${base}-train.txt`, `${base}-test.txt`, n, ['-s', '2']);
    out.beside = [ft, ll].filter((x) => x !== null);
    const vw = await runVw(`${base}-train-flat.vw`, `${base}-test-flat.vw`, n, {
      format: 'vw',
      args: ['-b', '20'],
      setting: 'VW defaults, 2^20 slots, the same one-namespace file, one pass',
    });
    out.vowpalWabbit = vw ?? VW_ABSENT;
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Accuracy over shuffled splits of a fresh 200k pool. */
async function accuracy(splits: number): Promise<Record<string, unknown>> {
  const pool = `${DATA}cross-pool-200000.txt`;
  if (!existsSync(pool)) await writeCrossData(pool, null, { n: 200_000, seed: 5, noise: 0.07, drift: false });
  const lines = readFileSync(pool, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const dir = mkdtempSync(join(tmpdir(), 'leanml-cross-splits-'));
  try {
    return await acrossSplits(
      Array.from({ length: splits }, (_, k) => 1001 + k),
      dir,
      async (seed, train, test) => {
        const s = shuffledSplit(lines, seed);
        writeLines(train, s.train);
        writeLines(test, s.test);
        return s.train.length;
      },
      { liblinear: ['-s', '2'] },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const n = arg(args, '--n', 1_000_000);
  const base = await crossData(n);
  const meta = JSON.parse(readFileSync(`${base}-meta.json`, 'utf8')) as { distinct: number; bayesAccuracy: number };
  const tp = args.includes('--no-throughput') ? null : await throughput(base, n, arg(args, '--rounds', 3));
  const acc = args.includes('--no-accuracy') ? null : await accuracy(arg(args, '--splits', 10));
  const ft = (tp?.fasttext as { leanml: Record<string, unknown>; scikitLearn: Record<string, unknown>; ratio: number } | undefined) ?? null;
  return {
    name: 'linear-cross',
    ours: {
      setting: 'leanml linear train with its defaults (exact lookup, parse thread), process wall time',
      throughput: tp,
      accuracy: acc,
      data: { examples: n, distinctFeatures: meta.distinct, bayesAccuracy: meta.bayesAccuracy },
    },
    reference: ft ? { tool: 'scikit-learn HashingVectorizer(2^20) + SGDClassifier(hinge), one pass (partial_fit), training only', ...ft.scikitLearn } : null,
    ratio: ft?.ratio ?? null,
    note: 'ratio = median over alternating rounds of scikit-learn wall seconds / leanml wall seconds (fastText-format file); the VW-format figure is under ours.throughput.vw. Both include process start-up.',
  };
}
