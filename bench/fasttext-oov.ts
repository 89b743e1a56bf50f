/**
 * Benchmark `fasttext-oov`: open a large model and print 2,000 out-of-vocabulary word vectors,
 * `leanml fasttext vectors` against `fasttext print-word-vectors` (fastText 0.9.2) measured the
 * same way in the same run (GNU time: wall seconds, peak RSS), alternating, medians.
 * Outputs are compared byte for byte.
 *   npm run bench -- fasttext-oov [--model PATH | --trained] [--size-mb 1000] [--words 2000] [--repeats 3]
 */
import { statSync } from 'node:fs';
import { type BenchResult, haveTool, timeCommand } from './result.js';
import { builtCli, generatedModel, option, pseudoWord, trainedModel } from './fasttext-models.js';

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(args: string[]): Promise<BenchResult> {
  const sizeMb = Number(option(args, 'size-mb', '1000'));
  const nWords = Number(option(args, 'words', '2000'));
  const repeats = Number(option(args, 'repeats', '3'));
  const model = option(args, 'model', '') || (args.includes('--trained') ? trainedModel(sizeMb) : generatedModel(sizeMb));
  // out-of-vocabulary: pseudo-words from another salt, never produced for the vocabulary
  const input = `${Array.from({ length: nWords }, (_, i) => `${pseudoWord(i, 3)}qx`).join('\n')}\n`;
  const main = builtCli();
  const ours = () => timeCommand(process.execPath, [main, 'fasttext', 'vectors', model], { input });
  const modelBytes = statSync(model).size;
  ours(); // warm the page cache for both
  if (!haveTool('fasttext')) {
    const o = ours();
    return {
      name: 'fasttext-oov',
      ours: { seconds: o.seconds, peakRssMiB: o.peakRssMiB, modelBytes, words: nWords },
      reference: null,
      ratio: null,
      note: 'fasttext CLI not installed',
    };
  }
  const oursT: number[] = [],
    oursR: number[] = [],
    refT: number[] = [],
    refR: number[] = [];
  let identical = true;
  for (let i = 0; i < repeats; i++) {
    const r = timeCommand('fasttext', ['print-word-vectors', model], { input });
    const o = ours();
    if (r.status !== 0 || o.status !== 0)
      throw new Error(`a run failed: fasttext ${r.status} ${r.stderr.slice(0, 200)} / leanml ${o.status} ${o.stderr.slice(0, 200)}`);
    identical &&= r.stdout === o.stdout;
    refT.push(r.seconds);
    refR.push(r.peakRssMiB);
    oursT.push(o.seconds);
    oursR.push(o.peakRssMiB);
  }
  const ours_ = { seconds: median(oursT), peakRssMiB: median(oursR), runs: oursT };
  const ref = { tool: 'fasttext print-word-vectors (0.9.2)', seconds: median(refT), peakRssMiB: median(refR), runs: refT };
  return {
    name: 'fasttext-oov',
    ours: { ...ours_, rssFractionOfReference: ours_.peakRssMiB / ref.peakRssMiB, outputIdentical: identical, model, modelBytes, words: nWords },
    reference: ref,
    ratio: ref.seconds / ours_.seconds,
  };
}
