/**
 * Benchmark `text-eval`: accuracy of leanml's text classifiers against fastText supervised,
 * `leanml linear` and the same architectures in PyTorch 1.13 (bench/text_reference.py), on
 * the same shuffled splits in the same run.
 *
 * Protocol: the data set is shuffled once (seed 0); the first 20% is the development pool,
 * the rest the report pool. fastText's settings (epochs, learning rate, character n-grams)
 * and leanml's vocabulary settings (character n-grams or not) are chosen on two 80/20 splits
 * of the development pool only. Reported: `--splits` seeded 80/20 splits of the report pool;
 * per split leanml and PyTorch train on 90% of the training part and stop early on the other
 * 10% (the same lines for both, encoded once by leanml), fastText and `leanml linear` train on
 * the whole training part; all are tested on the same test part. Figures: accuracy
 * (precision at 1) mean ± sd (sample), min, per split.
 * Data: `langid` (bench/text-data.ts, gettext catalogues) or `spam` (SpamAssassin, npm).
 * Usage: npm run bench -- text-eval [--data langid|spam] [--arch bag,gru] [--splits 5]
 *          [--no-torch] [--max-tokens N] [--per-label N (first N lines of each label)]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { evaluate, trainLinear } from '../src/linear/index.js';
import { loadSpamCorpus } from '../src/linear/spam-corpus.js';
import { saveSafetensors } from '../src/nn/index.js';
import { encodedSetTensors, parseLabelledLines, testText, trainText, type LabelledLine, type TextArch } from '../src/text/index.js';
import { haveTool, havePython, type BenchResult } from './result.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
type Vocab = { minn: number; maxn: number };

function arg(args: string[], name: string, dflt: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
}

function stats(xs: number[]): { mean: number; sd: number; min: number; splits: number[] } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  const r = (v: number): number => Math.round(v * 10000) / 10000;
  return { mean: r(mean), sd: r(sd), min: r(Math.min(...xs)), splits: xs.map(r) };
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const idx = Int32Array.from(xs.keys());
  new Rng(seed).shuffle(idx);
  return Array.from(idx, (i) => xs[i]!);
}

function split<T>(xs: T[], seed: number, share = 0.8): [T[], T[]] {
  const s = shuffled(xs, seed);
  const cut = Math.round(s.length * share);
  return [s.slice(0, cut), s.slice(cut)];
}

const toText = (lines: LabelledLine[]): string => `${lines.map((l) => `${l.labels.map((x) => `__label__${x}`).join(' ')} ${l.tokens.join(' ')}`).join('\n')}\n`;

function loadData(name: string): LabelledLine[] {
  if (name === 'spam')
    return parseLabelledLines(
      loadSpamCorpus()
        .map((m) => `__label__${m.label} ${m.tokens}`)
        .join('\n'),
      'spam',
    );
  const path = join(HERE, 'data/text/langid.txt');
  if (!existsSync(path)) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'text-data.ts'), '--out', path], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error("text-eval: bench/text-data.ts failed (needs gettext's msgunfmt)");
  }
  return parseLabelledLines(readFileSync(path, 'utf8'), path);
}

/** The first `n` lines of each (first) label, in file order; all lines when n is 0. */
function capPerLabel(lines: LabelledLine[], n: number): LabelledLine[] {
  if (!n) return lines;
  const seen = new Map<string, number>();
  return lines.filter((l) => {
    const c = seen.get(l.labels[0]!) ?? 0;
    seen.set(l.labels[0]!, c + 1);
    return c < n;
  });
}

/** fastText's hashed rows: 200k instead of its 2M default (same accuracy on these sizes, a tenth of the start-up). */
const FASTTEXT_BUCKETS = 200_000;

interface FastTextConfig {
  epoch: number;
  lr: number;
  minn: number;
  maxn: number;
}

function fastTextAccuracy(dir: string, train: LabelledLine[], test: LabelledLine[], c: FastTextConfig): number {
  writeFileSync(join(dir, 'ft-train.txt'), toText(train));
  writeFileSync(join(dir, 'ft-test.txt'), toText(test));
  const prefix = join(dir, 'ft');
  const t = spawnSync(
    'fasttext',
    [
      'supervised',
      '-input',
      join(dir, 'ft-train.txt'),
      '-output',
      prefix,
      '-epoch',
      String(c.epoch),
      '-lr',
      String(c.lr),
      '-minn',
      String(c.minn),
      '-maxn',
      String(c.maxn),
      '-bucket',
      String(FASTTEXT_BUCKETS),
      '-thread',
      '2',
      '-verbose',
      '0',
      '-seed',
      '1',
    ],
    { encoding: 'utf8' },
  );
  if (t.status !== 0) throw new Error(`fasttext supervised failed: ${t.stderr}`);
  const r = spawnSync('fasttext', ['test', `${prefix}.bin`, join(dir, 'ft-test.txt')], { encoding: 'utf8' });
  const m = /P@1\s+([\d.]+)/.exec(r.stdout);
  if (!m) throw new Error(`fasttext test: no P@1 in ${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

async function linearAccuracy(dir: string, train: LabelledLine[], test: LabelledLine[]): Promise<number> {
  writeFileSync(join(dir, 'lin-train.txt'), toText(train));
  writeFileSync(join(dir, 'lin-test.txt'), toText(test));
  const { model } = await trainLinear(join(dir, 'lin-train.txt'));
  return (await evaluate(model, join(dir, 'lin-test.txt'))).accuracy;
}

/** leanml (in-process, default settings but the vocabulary's) and, when asked, the PyTorch twin on the same encoded lines. */
async function textAccuracy(
  dir: string,
  arch: TextArch,
  train: LabelledLine[],
  test: LabelledLine[],
  vocab: Vocab,
  seed: number,
  maxTokens: number | undefined,
  torch: boolean,
): Promise<{ ours: number; oursEpochSeconds: number; torch?: number; torchEpochSeconds?: number }> {
  const [fit, held] = split(train, 1000 + seed, 0.9);
  const model = await trainText(fit, { net: { arch }, vocab: { ...vocab, maxTokens }, train: { seed }, validationLines: held });
  try {
    const ours = testText(model, test).accuracy;
    const h = model.meta.training.history;
    const out: { ours: number; oursEpochSeconds: number; torch?: number; torchEpochSeconds?: number } = {
      ours,
      oursEpochSeconds: h.reduce((s, e) => s + e.seconds, 0) / h.length,
    };
    if (torch) {
      const data = join(dir, 'encoded.safetensors');
      saveSafetensors(
        data,
        {
          ...encodedSetTensors(model.encode(fit, 'train'), 'train'),
          ...encodedSetTensors(model.encode(held, 'valid'), 'valid'),
          ...encodedSetTensors(model.encode(test, 'test'), 'test'),
        },
        { vocabSize: String(model.vocab.size), numLabels: String(model.labels.length) },
      );
      const s = model.settings;
      const r = spawnSync(
        '/usr/bin/python3',
        [
          join(HERE, 'text_reference.py'),
          'train',
          data,
          '--arch',
          arch,
          '--dim',
          String(s.net.dim),
          '--hidden',
          String(s.net.hidden),
          '--epochs',
          String(s.train.epochs),
          '--patience',
          String(s.train.patience),
          '--batch-size',
          String(s.train.batchSize),
          '--lr',
          String(s.train.lr),
          '--seed',
          String(seed),
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`text_reference.py failed: ${r.stderr}`);
      const j = JSON.parse(r.stdout) as { testAccuracy: number; secondsPerEpoch: number };
      out.torch = j.testAccuracy;
      out.torchEpochSeconds = j.secondsPerEpoch;
    }
    return out;
  } finally {
    model.dispose();
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const dataName = arg(args, '--data', 'langid');
  const archs = arg(args, '--arch', 'bag,gru').split(',') as TextArch[];
  const nSplits = Number(arg(args, '--splits', '5'));
  const maxTokensArg = arg(args, '--max-tokens', '');
  const maxTokens = maxTokensArg ? Number(maxTokensArg) : undefined;
  const useTorch = !args.includes('--no-torch') && havePython('torch');
  const useFastText = haveTool('fasttext');
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const perLabel = Number(arg(args, '--per-label', '0'));
  const all = capPerLabel(loadData(dataName), perLabel);
  const [dev, report] = split(all, 0, 0.2);
  const dir = mkdtempSync(join(tmpdir(), 'leanml-text-eval-'));
  try {
    // Development: fastText's grid and leanml's vocabulary choice, on dev splits only.
    const devSplits = [100, 101].map((s) => split(dev, s));
    let ftBest: { c: FastTextConfig; acc: number } | null = null;
    const ftGrid: FastTextConfig[] = [];
    for (const epoch of [5, 25])
      for (const lr of [0.1, 1.0])
        for (const [minn, maxn] of [
          [0, 0],
          [2, 4],
        ] as const)
          ftGrid.push({ epoch, lr, minn, maxn });
    if (useFastText) {
      for (const c of ftGrid) {
        const acc = devSplits.reduce((s, [tr, te]) => s + fastTextAccuracy(dir, tr, te, c), 0) / devSplits.length;
        if (!ftBest || acc > ftBest.acc) ftBest = { c, acc };
      }
      log(`dev: fastText best ${JSON.stringify(ftBest)}`);
    }
    let vocab: Vocab = { minn: 0, maxn: 0 };
    let vocabAcc = -1;
    for (const v of [
      { minn: 0, maxn: 0 },
      { minn: 2, maxn: 4 },
    ]) {
      let acc = 0;
      for (const [tr, te] of devSplits) acc += (await textAccuracy(dir, 'bag', tr, te, v, 1, maxTokens, false)).ours / devSplits.length;
      log(`dev: leanml bag ${JSON.stringify(v)} accuracy ${acc.toFixed(4)}`);
      if (acc > vocabAcc) [vocab, vocabAcc] = [v, acc];
    }
    // Report splits.
    const res: Record<string, number[]> = {};
    const secs: Record<string, number[]> = {};
    const push = (k: string, v: number, s?: number): void => {
      (res[k] ??= []).push(v);
      if (s !== undefined) (secs[k] ??= []).push(s);
    };
    for (let seed = 1; seed <= nSplits; seed++) {
      const [train, test] = split(report, seed);
      if (ftBest) push('fastText', fastTextAccuracy(dir, train, test, ftBest.c));
      push('linear', await linearAccuracy(dir, train, test));
      for (const arch of archs) {
        const r = await textAccuracy(dir, arch, train, test, vocab, seed, maxTokens, useTorch);
        push(`leanml-${arch}`, r.ours, r.oursEpochSeconds);
        if (r.torch !== undefined) push(`torch-${arch}`, r.torch, r.torchEpochSeconds);
      }
      log(
        `split ${seed}: ${Object.entries(res)
          .map(([k, v]) => `${k} ${v[v.length - 1]!.toFixed(4)}`)
          .join(', ')}`,
      );
    }
    const figures = Object.fromEntries(
      Object.entries(res).map(([k, v]) => [
        k,
        { ...stats(v), ...(secs[k] ? { meanEpochSeconds: Math.round((secs[k]!.reduce((s, x) => s + x, 0) / secs[k]!.length) * 100) / 100 } : {}) },
      ]),
    );
    const ours = Object.fromEntries(Object.entries(figures).filter(([k]) => k.startsWith('leanml-')));
    const reference = Object.fromEntries(Object.entries(figures).filter(([k]) => !k.startsWith('leanml-')));
    const best = Math.max(...Object.values(ours).map((f) => f.mean));
    return {
      name: 'text-eval',
      ours: {
        data: dataName,
        lines: all.length,
        labels: new Set(all.flatMap((l) => l.labels)).size,
        devLines: dev.length,
        reportLines: report.length,
        splits: nSplits,
        vocab,
        maxTokens: maxTokens ?? 'default',
        ...ours,
      },
      reference: {
        tool: 'fastText supervised (tuned on dev splits), leanml linear (defaults), PyTorch 1.13 twin (same encoded lines)',
        fastTextSettings: ftBest?.c ?? null,
        fastTextDevAccuracy: ftBest?.acc ?? null,
        ...reference,
      },
      ratio: reference['fastText'] ? Math.round((best / reference['fastText'].mean) * 1000) / 1000 : null,
      ...(useFastText ? {} : { note: 'fasttext not installed (apt-get install fasttext)' }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
