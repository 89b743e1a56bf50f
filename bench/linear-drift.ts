/**
 * Drift: the cross-feature generator with its hidden weights rotating over the stream
 * (w(t) = cos θ w0 + sin θ w1, θ from 0 to π/2·1.2 over 1.2M examples). The online learner
 * reads the first 1M once, reporting progressive-validation error per 100k window, and is
 * tested on the next 200k. Contrast: the same learner frozen after the first 100k, the
 * online learner with 3 passes, and scikit-learn (one pass) and LIBLINEAR (batch) measured
 * in this run. ratio = scikit-learn one-pass test error / our test error.
 * `--streams N` (default 10; 0 = skip): N independent drifting streams of 120k examples
 * (generator seeds 11, 12, ...), each learner trained on the first 100k in order and tested on
 * the next 20k, summarised by mean, sd and minimum (the order is the point here, so the
 * "splits" are fresh streams, not shuffles).
 * Usage: npm run bench -- linear-drift [--n 1000000] [--streams 10] [--no-windows]
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { forEachLine } from '../src/linear/byte-lines.js';
import { evaluate, trainLinear, type LinearModel, type ProgressReport } from '../src/linear/index.js';
import type { BenchResult } from './result.js';
import { writeCrossData } from './linear/cross-data.js';
import { runLiblinear, runSklearn } from './linear/references.js';
import { runVw, VW_ABSENT } from './linear/vw.js';
import { acrossSplits } from './linear/splits.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Accuracy over independent drifting streams: train on the first 100k in order, test on the next 20k. */
async function streams(count: number): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'leanml-drift-'));
  try {
    return await acrossSplits(
      Array.from({ length: count }, (_, k) => 11 + k),
      dir,
      async (seed, train, test) => {
        const all = join(dir, `stream-${seed}.txt`);
        await writeCrossData(all, null, { n: 120_000, seed, noise: 0.07, drift: true });
        await split(all, train, test, 100_000);
        rmSync(all, { force: true });
        return 100_000;
      },
      { liblinear: ['-s', '2'] },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const DATA = fileURLToPath(new URL('./data/', import.meta.url));

async function split(src: string, first: string, rest: string, n: number): Promise<void> {
  const a = createWriteStream(first);
  const b = createWriteStream(rest);
  let i = 0;
  for await (const line of createInterface({ input: createReadStream(src), crlfDelay: Infinity })) {
    (i++ < n ? a : b).write(`${line}\n`);
  }
  await Promise.all([new Promise<void>((r) => a.end(() => r())), new Promise<void>((r) => b.end(() => r()))]);
}

/** Error rate of a fixed model over consecutive windows of a file. */
async function windowErrors(model: LinearModel, path: string, window: number): Promise<number[]> {
  const errors: number[] = [];
  let wrong = 0;
  let n = 0;
  await forEachLine(path, (buf, s, e) => {
    model.parseLine(buf, s, e);
    const line = model.parsed;
    const y = model.labelIndex(line.buf, line.labelStart, line.labelEnd, false);
    if (model.labels.indexOf(model.predictParsed().label) !== y) wrong++;
    if (++n % window === 0) {
      errors.push(wrong / window);
      wrong = 0;
    }
  });
  return errors;
}

export async function run(args: string[]): Promise<BenchResult> {
  const i = args.indexOf('--n');
  const n = i >= 0 ? Number(args[i + 1]) : 1_000_000;
  const si = args.indexOf('--streams');
  const streamCount = si >= 0 ? Number(args[si + 1]) : 10;
  const overStreams = streamCount > 0 ? await streams(streamCount) : null;
  if (args.includes('--no-windows')) {
    return {
      name: 'linear-drift',
      ours: { streams: overStreams, setting: 'library defaults (exact lookup), one pass in stream order' },
      reference: null,
      ratio: null,
      note: 'windows analysis skipped (--no-windows); per-learner summaries under ours.streams',
    };
  }
  const window = n / 10;
  mkdirSync(DATA, { recursive: true });
  const base = `${DATA}drift-${n}`;
  const train = `${base}-train.txt`;
  const test = `${base}-test.txt`;
  const head = `${base}-first-window.txt`;
  if (!existsSync(head)) {
    process.stderr.write(`linear-drift: generating ${n * 1.2} drifting examples under bench/data/ ...\n`);
    const all = `${base}-all.txt`;
    await writeCrossData(all, null, { n: n * 1.2, seed: 3, noise: 0.07, drift: true });
    await split(all, train, test, n);
    await split(train, head, `${base}-rest.txt`, window);
  }
  const features = { mode: 'hash' as const, bits: 20 };
  const reports: ProgressReport[] = [];
  const { model } = await trainLinear(train, { features, reportEvery: window, onProgress: (r) => reports.push(r) });
  const online = await evaluate(model, test);
  const { model: frozen } = await trainLinear(head, { features });
  const frozenWindows = await windowErrors(frozen, train, window);
  const frozenTest = await evaluate(frozen, test);
  const { model: multi } = await trainLinear(train, { features, passes: 3 });
  const multiTest = await evaluate(multi, test);
  const sk = runSklearn(train, test, n, 1, 20);
  const ll = await runLiblinear(train, test, n, ['-s', '2']);
  const vwRuns = [
    await runVw(train, test, n, {
      format: 'fasttext',
      args: ['-b', '20'],
      setting: 'VW defaults with 2^20 slots, one pass over the drifting stream, same tokens',
    }),
    await runVw(train, test, n, {
      format: 'fasttext',
      args: ['-b', '20', '--loss_function', 'hinge'],
      setting: 'VW hinge loss, 2^20 slots, one pass, same tokens',
    }),
  ].filter((r) => r !== null);
  return {
    name: 'linear-drift',
    ours: {
      progressiveErrorPerWindow: reports.map((r) => Number(r.windowError.toFixed(4))),
      windowExamples: window,
      testAccuracyNext: online.accuracy,
      frozenAfterFirstWindow: { errorPerWindow: frozenWindows.map((e) => Number(e.toFixed(4))), testAccuracyNext: frozenTest.accuracy },
      threePasses: { testAccuracyNext: multiTest.accuracy },
      setting: 'defaults + hashing into 2^20 slots, one pass',
      streams: overStreams,
    },
    reference: sk ? { ...sk } : null,
    ratio: sk?.accuracy != null ? (1 - sk.accuracy) / (1 - online.accuracy) : null,
    note: [
      `ratio = scikit-learn one-pass test error / leanml one-pass test error on the ${n / 5} examples after the stream.`,
      ...(vwRuns.length > 0 ? vwRuns.map((v) => `Vowpal Wabbit reference: ${JSON.stringify(v)}`) : [VW_ABSENT]),
      ...(ll ? [`other reference (batch): ${JSON.stringify(ll)}`] : []),
    ].join(' '),
  };
}
