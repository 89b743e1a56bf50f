/**
 * Throughput end to end (read, parse, hash, learn) on 1M generated cross-feature examples
 * (10 categorical fields + 14 pairwise crosses, ~24 active, ~275k distinct, 7% label noise),
 * one pass, against scikit-learn (and LIBLINEAR, fastText) measured in the same run.
 * ratio = our examples/s over scikit-learn's (both in-process figures, startup excluded).
 * Ours and scikit-learn run alternately (--rounds, default 3); speeds and the ratio are medians.
 * Usage: npm run bench -- linear-cross [--n 1000000] [--bits 20] [--rounds 3] [--no-extra]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './result.js';
import { INTERACTIONS, writeCrossData } from './linear/cross-data.js';
import { runOurs } from './linear/ours.js';
import { runFasttext, runLiblinear, runSklearn } from './linear/references.js';
import { runVw, VW_ABSENT } from './linear/vw.js';

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

  // the machine is shared and its load drifts: alternate ours and scikit-learn, round by round,
  // and report medians (speeds) and the median of the per-round ratios
  const rounds = arg(args, '--rounds', 3);
  const oursRuns: Awaited<ReturnType<typeof runOurs>>[] = [];
  const sklearnRuns: NonNullable<ReturnType<typeof runSklearn>>[] = [];
  const roundRatios: number[] = [];
  const singleRuns: number[] = [];
  const singleRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    process.stderr.write(`linear-cross: round ${r + 1}/${rounds}: leanml ...\n`);
    // defaults: on 2+ cores a worker thread reads and parses while this one learns (parseThread 'auto')
    const o = await runOurs(train, test, { features: { mode: 'hash', bits } }, { repeats: 1, cliArgs: r === 0 ? ['--bits', String(bits)] : undefined });
    oursRuns.push(o);
    // the same training forced onto one thread (as scikit-learn runs)
    const single = await runOurs(train, test, { features: { mode: 'hash', bits }, parseThread: false }, { repeats: 1 });
    if (single.accuracy !== o.accuracy) throw new Error(`parse thread changed the result: accuracy ${o.accuracy} vs ${single.accuracy} single-threaded`);
    singleRuns.push(single.examplesPerSecond);
    process.stderr.write(`linear-cross: round ${r + 1}/${rounds}: scikit-learn ...\n`);
    const sk = runSklearn(train, test, n, 1, bits);
    if (sk) {
      sklearnRuns.push(sk);
      if (sk.examplesPerSecond) {
        roundRatios.push(o.examplesPerSecond / sk.examplesPerSecond);
        singleRatios.push(singleRuns[singleRuns.length - 1]! / sk.examplesPerSecond);
      }
    }
  }
  const ours = { ...oursRuns[0]!, examplesPerSecond: median(oursRuns.map((o) => o.examplesPerSecond)), trainSeconds: median(oursRuns.map((o) => o.trainSeconds)), roundExamplesPerSecond: oursRuns.map((o) => Math.round(o.examplesPerSecond)) };
  const sklearn = sklearnRuns.length > 0 ? { ...sklearnRuns[0]!, examplesPerSecond: median(sklearnRuns.map((s) => s.examplesPerSecond ?? 0)), roundExamplesPerSecond: sklearnRuns.map((s) => Math.round(s.examplesPerSecond ?? 0)) } : null;
  process.stderr.write('linear-cross: leanml, Vowpal Wabbit format with crosses built on the fly ...\n');
  const oursVw = await runOurs(`${base}-train.vw`, `${base}-test.vw`, { features: { mode: 'hash', bits, interactions: INTERACTIONS } }, { repeats: 1 });
  // Vowpal Wabbit (when a binary is available): its defaults on the same tokens, the same table
  // size as ours, and the VW-format fields with the 14 crosses built by -q (as ours above)
  process.stderr.write('linear-cross: Vowpal Wabbit (if available) ...\n');
  const vwRuns = [
    await runVw(train, test, n, { format: 'fasttext', args: [], setting: 'VW defaults (squared loss, adaptive normalised invariant updates, 2^18 slots), one pass, same tokens' }),
    await runVw(train, test, n, { format: 'fasttext', args: ['-b', String(bits)], setting: `VW defaults with 2^${bits} slots, one pass, same tokens` }),
    await runVw(train, test, n, { format: 'fasttext', args: ['-b', String(bits), '--loss_function', 'hinge'], setting: `VW hinge loss, 2^${bits} slots, one pass, same tokens` }),
    await runVw(`${base}-train.vw`, `${base}-test.vw`, n, { format: 'vw', args: ['-b', String(bits), ...INTERACTIONS.flatMap((q) => ['-q', q])], setting: `VW defaults, 2^${bits} slots, VW-format fields with the 14 crosses built by -q, one pass` }),
  ].filter((r) => r !== null);
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
      roundRatios,
      oneThread: { examplesPerSecond: median(singleRuns), roundExamplesPerSecond: singleRuns.map(Math.round), roundRatios: singleRatios, ratio: singleRatios.length > 0 ? median(singleRatios) : null },
      data: { examples: n, testExamples: n / 5, distinctFeatures: data.distinct, bayesAccuracy: data.bayesAccuracy, labelNoise: 0.07 },
    },
    reference: sklearn ? { ...sklearn } : null,
    ratio: roundRatios.length > 0 ? median(roundRatios) : null,
    note: [
      `ratio = median over ${rounds} alternating rounds of leanml examples/s / scikit-learn examples/s, both in-process (read + parse + hash + learn); CLI and reference process wall times and peak RSS also reported.`,
      'scikit-learn uses one thread; leanml with its defaults reads and parses on a worker thread while learning when the machine has 2+ cores (as Vowpal Wabbit does); oneThread = leanml forced onto one thread (parseThread: false, identical model), measured in the same rounds, with its own ratio.',
      ...(vwRuns.length > 0 ? vwRuns.map((v) => `Vowpal Wabbit reference: ${JSON.stringify(v)}`) : [VW_ABSENT]),
      ...others.filter((o) => o !== null).map((o) => `other reference: ${JSON.stringify(o)}`),
    ].join(' '),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
