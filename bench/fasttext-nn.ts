/**
 * Benchmark `fasttext-nn`: nearest neighbours (k = 10) of 1,000 in-vocabulary words from the
 * compact store (f32 and int8) with `leanml fasttext nn`, against `fasttext nn` on the .bin
 * (fastText 0.9.2), measured the same way in the same run (GNU time: wall seconds, peak RSS).
 * Reports store sizes, whether f32 gives fastText's top-10, and recall@10 of int8.
 *   npm run bench -- fasttext-nn [--model PATH | --trained] [--size-mb 300] [--queries 1000] [--repeats 1]
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchResult, haveTool, timeCommand } from './result.js';
import { builtCli, DATA, generatedModel, option, trainedModel } from './fasttext-models.js';
import { BinModel } from '../src/fasttext/bin-model.js';
import { convertToStore } from '../src/fasttext/convert.js';
import { Rng } from '../src/core/rng.js';

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

/** Per query, the neighbour words (from `word score` lines, k per query; prompts removed). */
function parse(out: string, k: number): string[][] {
  const lines = out.replaceAll('Query word? ', '\n').split('\n').filter((l) => l.trim() !== '');
  const res: string[][] = [];
  for (let i = 0; i < lines.length; i += k) res.push(lines.slice(i, i + k).map((l) => l.slice(0, l.lastIndexOf(' '))));
  return res;
}

function compare(ref: string[][], got: string[][]): { sameTop10: number; recallAt10: number } {
  let same = 0, hits = 0, total = 0;
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
  const model = option(args, 'model', '') || (args.includes('--trained') ? trainedModel(sizeMb) : generatedModel(sizeMb));
  const base = join(DATA, model.split('/').pop()!.replace(/\.(bin|ftz)$/, ''));
  const stores: Record<string, string> = {};
  let words: string[] = [];
  {
    const bin = BinModel.open(model);
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
  const input = words.join('\n') + '\n';
  const main = builtCli();
  const ours = (dtype: string) => timeCommand(process.execPath, [main, 'fasttext', 'nn', stores[dtype]!, '--k', '10'], { input });
  const figures = (dtype: string, runs: ReturnType<typeof ours>[]) => ({
    seconds: median(runs.map((r) => r.seconds)),
    peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
    storeBytes: statSync(stores[dtype]!).size,
  });
  const f32Runs: ReturnType<typeof ours>[] = [], int8Runs: ReturnType<typeof ours>[] = [], refRuns: ReturnType<typeof timeCommand>[] = [];
  const hasRef = haveTool('fasttext');
  for (let i = 0; i < repeats; i++) {
    if (hasRef) refRuns.push(timeCommand('fasttext', ['nn', model, '10'], { input }));
    f32Runs.push(ours('f32'));
    int8Runs.push(ours('int8'));
  }
  for (const r of [...f32Runs, ...int8Runs, ...refRuns]) if (r.status !== 0) throw new Error(`a run failed: ${r.stderr.slice(0, 300)}`);
  const f32 = figures('f32', f32Runs), int8 = figures('int8', int8Runs);
  const oursFigures = { queries: nq, k: 10, model, modelBytes: statSync(model).size, f32, int8 };
  if (!hasRef) return { name: 'fasttext-nn', ours: oursFigures, reference: null, ratio: null, note: 'fasttext CLI not installed' };
  const refTop = parse(refRuns[0]!.stdout, 10);
  const f32Cmp = compare(refTop, parse(f32Runs[0]!.stdout, 10));
  const int8Cmp = compare(refTop, parse(int8Runs[0]!.stdout, 10));
  const ref = { tool: 'fasttext nn (0.9.2) on the .bin', seconds: median(refRuns.map((r) => r.seconds)), peakRssMiB: median(refRuns.map((r) => r.peakRssMiB)) };
  return {
    name: 'fasttext-nn',
    ours: { ...oursFigures, f32: { ...f32, ...f32Cmp }, int8: { ...int8, ...int8Cmp } },
    reference: ref,
    ratio: ref.seconds / f32.seconds,
    note: 'ratio = fastText seconds / leanml f32-store seconds; sameTop10 = share of queries whose ten neighbours (in order) equal fastText\'s',
  };
}
