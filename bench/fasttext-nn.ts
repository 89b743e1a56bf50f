/**
 * Benchmark `fasttext-nn`: nearest neighbours (k = 10) of 1,000 in-vocabulary words from the
 * compact store (f32 and int8) with `leanml fasttext nn`, against `fasttext nn` on the .bin
 * (fastText 0.9.2), measured the same way in the same run (GNU time: wall seconds, peak RSS).
 * Reports store sizes, whether f32 gives fastText's top-10, and recall@10 of int8.
 * On a model where fastText would take too long for every query (cc.en.300's 2M words: about a
 * second per query), `--ref-queries N` times both tools on the first N queries (same run,
 * alternating), times fastText once more on one query (its load + word-matrix build), and times
 * leanml on all queries too; recall is then measured on those N queries.
 *   npm run bench -- fasttext-nn [--model PATH | --trained] [--size-mb 300] [--queries 1000] [--ref-queries N] [--repeats 1]
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchResult, haveTool, timeCommand } from './result.js';
import { builtCli, DATA, generatedModel, option, trainedModel } from './fasttext-models.js';
import { openBin } from '../src/fasttext/open.js';
import { convertToStore } from '../src/fasttext/convert.js';
import { Rng } from '../src/core/rng.js';

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

/** Per query, the neighbour words (from `word score` lines, k per query; prompts removed). */
function parse(out: string, k: number): string[][] {
  const lines = out
    .replaceAll('Query word? ', '\n')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const res: string[][] = [];
  for (let i = 0; i < lines.length; i += k) res.push(lines.slice(i, i + k).map((l) => l.slice(0, l.lastIndexOf(' '))));
  return res;
}

function compare(ref: string[][], got: string[][]): { sameTop10: number; recallAt10: number } {
  let same = 0,
    hits = 0,
    total = 0;
  ref.forEach((r, i) => {
    const g = got[i] ?? [];
    if (r.join('\n') === g.join('\n')) same++;
    const s = new Set(g);
    for (const w of r) if (s.has(w)) hits++;
    total += r.length;
  });
  return { sameTop10: same / ref.length, recallAt10: hits / total };
}

export async function run(args: string[]): Promise<BenchResult> {
  const sizeMb = Number(option(args, 'size-mb', '300'));
  const nq = Number(option(args, 'queries', '1000'));
  const repeats = Number(option(args, 'repeats', '1'));
  const refQ = Math.min(nq, Number(option(args, 'ref-queries', String(nq))));
  const subset = refQ < nq;
  if (subset && refQ < 2) throw new Error('--ref-queries must be 2 or more');
  const model = option(args, 'model', '') || (args.includes('--trained') ? trainedModel(sizeMb) : generatedModel(sizeMb));
  const base = join(
    DATA,
    model
      .split('/')
      .pop()!
      .replace(/\.(bin|ftz)$/, ''),
  );
  const stores: Record<string, string> = {};
  let words: string[] = [];
  {
    const bin = openBin(model);
    const rng = new Rng(11);
    words = Array.from({ length: nq }, () => bin.word(rng.int(bin.nwords)));
    for (const dtype of ['f32', 'int8'] as const) {
      const path = `${base}.${dtype}.store`;
      if (!existsSync(path)) {
        process.stderr.write(`fasttext bench: converting to ${path}\n`);
        const t0 = performance.now();
        convertToStore(bin, path, { dtype });
        process.stderr.write(`  ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      }
      stores[dtype] = path;
    }
    bin.close();
  }
  const input = `${words.join('\n')}\n`;
  const refInput = `${words.slice(0, refQ).join('\n')}\n`;
  const main = builtCli();
  const ours = (dtype: string, text = input) => timeCommand(process.execPath, [main, 'fasttext', 'nn', stores[dtype]!, '--k', '10'], { input: text });
  const figures = (dtype: string, runs: ReturnType<typeof ours>[]) => ({
    seconds: median(runs.map((r) => r.seconds)),
    peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
    storeBytes: statSync(stores[dtype]!).size,
  });
  type Run = ReturnType<typeof ours>;
  const f32Runs: Run[] = [],
    int8Runs: Run[] = [],
    refRuns: Run[] = [];
  const f32Sub: Run[] = [],
    int8Sub: Run[] = [],
    refOne: Run[] = [];
  const hasRef = haveTool('fasttext');
  for (let i = 0; i < repeats; i++) {
    if (hasRef) refRuns.push(timeCommand('fasttext', ['nn', model, '10'], { input: refInput }));
    f32Runs.push(ours('f32'));
    int8Runs.push(ours('int8'));
    if (subset) {
      if (hasRef) refOne.push(timeCommand('fasttext', ['nn', model, '10'], { input: `${words[0]}\n` }));
      f32Sub.push(ours('f32', refInput));
      int8Sub.push(ours('int8', refInput));
    }
  }
  for (const r of [...f32Runs, ...int8Runs, ...refRuns, ...f32Sub, ...int8Sub, ...refOne])
    if (r.status !== 0) throw new Error(`a run failed: ${r.stderr.slice(0, 300)}`);
  const f32 = figures('f32', f32Runs),
    int8 = figures('int8', int8Runs);
  const sub = (runs: Run[]) =>
    subset ? { queries: refQ, seconds: median(runs.map((r) => r.seconds)), peakRssMiB: median(runs.map((r) => r.peakRssMiB)) } : undefined;
  const oursFigures = {
    queries: nq,
    k: 10,
    model,
    modelBytes: statSync(model).size,
    f32: { ...f32, subset: sub(f32Sub) },
    int8: { ...int8, subset: sub(int8Sub) },
  };
  if (!hasRef) return { name: 'fasttext-nn', ours: oursFigures, reference: null, ratio: null, note: 'fasttext CLI not installed' };
  // compare on the queries fastText answered (all of them, or the first refQ)
  const refTop = parse(refRuns[0]!.stdout, 10);
  const f32Cmp = compare(refTop, parse((subset ? f32Sub : f32Runs)[0]!.stdout, 10).slice(0, refQ));
  const int8Cmp = compare(refTop, parse((subset ? int8Sub : int8Runs)[0]!.stdout, 10).slice(0, refQ));
  const ref = {
    tool: 'fasttext nn (0.9.2) on the .bin',
    queries: refQ,
    seconds: median(refRuns.map((r) => r.seconds)),
    peakRssMiB: median(refRuns.map((r) => r.peakRssMiB)),
    ...(subset
      ? {
          oneQuerySeconds: median(refOne.map((r) => r.seconds)),
          // load + word matrix once, then the per-query cost measured between 1 and refQ queries
          extrapolatedSecondsAllQueries:
            median(refOne.map((r) => r.seconds)) + ((median(refRuns.map((r) => r.seconds)) - median(refOne.map((r) => r.seconds))) * (nq - 1)) / (refQ - 1),
        }
      : {}),
  };
  const oursSeconds = subset ? oursFigures.f32.subset!.seconds : f32.seconds;
  return {
    name: 'fasttext-nn',
    ours: { ...oursFigures, f32: { ...oursFigures.f32, ...f32Cmp }, int8: { ...oursFigures.int8, ...int8Cmp } },
    reference: ref,
    ratio: ref.seconds / oursSeconds,
    note:
      `ratio = fastText seconds / leanml f32-store seconds on the same ${refQ} queries; sameTop10 = share of queries whose ten neighbours (in order) equal fastText's` +
      (subset ? `; fastText timed on the first ${refQ} of ${nq} queries (and on one query for its load), leanml on both` : ''),
  };
}
