/**
 * Benchmark `text-train`: training time per epoch of leanml's text classifiers against the
 * same architecture in PyTorch 1.13 (bench/text_reference.py) on the same encoded lines, same
 * batch size, same machine. Ours: the `leanml text train` CLI (WASM backend, its defaults but
 * `--epochs`, no held-out split), its reported seconds per epoch and the process wall time;
 * PyTorch: one thread and its default thread count.
 * Data: the first `--lines` lines of `--data` (langid from bench/text-data.ts, or spam).
 * Usage: npm run bench -- text-train [--arch gru] [--data langid|spam] [--lines 4000] [--epochs 2] [--max-tokens N]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { loadSpamCorpus } from '../src/linear/spam-corpus.js';
import { saveSafetensors } from '../src/nn/index.js';
import { encodedSetTensors, loadTextModel, parseLabelledLines } from '../src/text/index.js';
import { havePython, timeCommand, type BenchResult } from './result.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

function arg(args: string[], name: string, dflt: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
}

export async function run(args: string[]): Promise<BenchResult> {
  const arch = arg(args, '--arch', 'gru');
  const data = arg(args, '--data', 'langid');
  const nLines = Number(arg(args, '--lines', '4000'));
  const epochs = arg(args, '--epochs', '2');
  const maxTokens = arg(args, '--max-tokens', '');
  let text: string;
  if (data === 'spam')
    text = loadSpamCorpus()
      .map((m) => `__label__${m.label} ${m.tokens}`)
      .join('\n');
  else {
    const path = join(HERE, 'data/text/langid.txt');
    if (!existsSync(path)) throw new Error('text-train: run bench/text-data.ts first (or npm run bench -- text-eval)');
    text = readFileSync(path, 'utf8');
  }
  const all = text.split('\n').filter((l) => l.trim());
  const idx = Int32Array.from(all.keys());
  new Rng(0).shuffle(idx);
  const lines = Array.from(idx.subarray(0, nLines), (i) => all[i]!);
  const dir = mkdtempSync(join(tmpdir(), 'leanml-text-train-'));
  try {
    const input = join(dir, 'train.txt');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const model = join(dir, 'model');
    const cli = timeCommand(process.execPath, [
      '--import',
      'tsx',
      MAIN,
      'text',
      'train',
      '--input',
      input,
      '--model',
      model,
      '--arch',
      arch,
      '--epochs',
      epochs,
      '--validation',
      '0',
      '--quiet',
      ...(maxTokens ? ['--max-tokens', maxTokens] : []),
    ]);
    if (cli.status !== 0) throw new Error(`leanml text train failed: ${cli.stderr}`);
    const summary = JSON.parse(cli.stdout) as { secondsPerEpoch: number; backend: string; vocabularyRows: number };
    const ours = {
      cli: 'leanml text train',
      arch,
      lines: lines.length,
      epochs: Number(epochs),
      secondsPerEpoch: Math.round(summary.secondsPerEpoch * 100) / 100,
      wallSeconds: Math.round(cli.seconds * 100) / 100,
      peakRssMiB: Math.round(cli.peakRssMiB),
      backend: summary.backend,
      vocabularyRows: summary.vocabularyRows,
    };
    if (!havePython('torch')) return { name: 'text-train', ours, reference: null, ratio: null, note: 'PyTorch not installed (apt-get install python3-torch)' };
    // The same lines, encoded by the trained model's vocabulary, for the PyTorch twin.
    const m = await loadTextModel(model);
    const set = m.encode(parseLabelledLines(lines.join('\n'), 'train'), 'train');
    const empty = m.encode([], 'none');
    const encoded = join(dir, 'encoded.safetensors');
    saveSafetensors(
      encoded,
      { ...encodedSetTensors(set, 'train'), ...encodedSetTensors(empty, 'valid'), ...encodedSetTensors(empty, 'test') },
      { vocabSize: String(m.vocab.size), numLabels: String(m.labels.length) },
    );
    const s = m.settings;
    m.dispose();
    const torch = (threads: number): { secondsPerEpoch: number; wallSeconds: number } => {
      const r = timeCommand('/usr/bin/python3', [
        join(HERE, 'text_reference.py'),
        'train',
        encoded,
        '--arch',
        arch,
        '--dim',
        String(s.net.dim),
        '--hidden',
        String(s.net.hidden),
        '--epochs',
        epochs,
        '--batch-size',
        String(s.train.batchSize),
        '--lr',
        String(s.train.lr),
        '--threads',
        String(threads),
      ]);
      if (r.status !== 0) throw new Error(`text_reference.py failed: ${r.stderr}`);
      return {
        secondsPerEpoch: Math.round((JSON.parse(r.stdout) as { secondsPerEpoch: number }).secondsPerEpoch * 100) / 100,
        wallSeconds: Math.round(r.seconds * 100) / 100,
      };
    };
    const one = torch(1);
    const two = torch(2);
    return {
      name: 'text-train',
      ours,
      reference: { tool: 'PyTorch 1.13 (bench/text_reference.py)', oneThread: one, twoThreads: two },
      ratio: Math.round((one.secondsPerEpoch / ours.secondsPerEpoch) * 1000) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
