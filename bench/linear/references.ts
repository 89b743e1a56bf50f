/**
 * Reference tools for the linear benchmarks, each run as its own process and timed the same
 * way (GNU time: wall seconds and peak RSS): scikit-learn (HashingVectorizer + SGDClassifier
 * hinge), LIBLINEAR `liblinear-train` (default solver), fastText `supervised` (Vowpal Wabbit: `vw.ts`).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachLine } from '../../src/linear/byte-lines.js';
import { haveTool, havePython, timeCommand } from '../result.js';

const SKLEARN_SCRIPT = fileURLToPath(new URL('./sklearn_sgd.py', import.meta.url));

export interface ReferenceRun {
  tool: string;
  examplesPerSecond: number | null;
  accuracy: number | null;
  wallSeconds: number;
  trainSeconds: number | null;
  peakRssMiB: number;
  note?: string;
}

/** scikit-learn one pass (epochs = 1: partial_fit over chunks) or `epochs` epochs of fit. */
export function runSklearn(train: string, test: string, examples: number, epochs = 1, bits = 20): ReferenceRun | null {
  if (!havePython('sklearn')) return null;
  const r = timeCommand('/usr/bin/python3', [SKLEARN_SCRIPT, train, test, String(epochs), String(bits)]);
  if (r.status !== 0) throw new Error(`sklearn reference failed: ${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as { tool: string; trainSeconds: number; examplesPerSecond: number; accuracy: number };
  return {
    tool: j.tool,
    examplesPerSecond: j.examplesPerSecond,
    accuracy: j.accuracy,
    wallSeconds: r.seconds,
    trainSeconds: j.trainSeconds,
    peakRssMiB: r.peakRssMiB,
    note: `${epochs} epoch(s), 2^${bits} hashed features, token_pattern \\S+, l2-normalised rows; ${examples} examples`,
  };
}

/** fastText supervised, default settings except `epochs` and 2 threads (this machine's cores). */
export function runFasttext(train: string, test: string, examples: number, epochs: number): ReferenceRun | null {
  if (!haveTool('fasttext')) return null;
  const dir = mkdtempSync(join(tmpdir(), 'leanml-ft-'));
  try {
    const out = join(dir, 'model');
    const r = timeCommand('fasttext', ['supervised', '-input', train, '-output', out, '-epoch', String(epochs), '-thread', '2', '-verbose', '0']);
    if (r.status !== 0) throw new Error(`fasttext failed: ${r.stderr}`);
    const t = timeCommand('fasttext', ['test', `${out}.bin`, test]);
    const p1 = /P@1\s+([\d.]+)/.exec(t.stdout);
    return {
      tool: 'fastText 0.9.2 supervised',
      examplesPerSecond: (examples * epochs) / r.seconds,
      accuracy: p1 ? Number(p1[1]) : null,
      wallSeconds: r.seconds,
      trainSeconds: null,
      peakRssMiB: r.peakRssMiB,
      note: `${epochs} epoch(s), -thread 2, other settings default; wall time includes saving the model`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** LIBLINEAR default solver (L2-regularised L2-loss SVM, dual) on the same tokens as libsvm files (conversion not timed). */
export async function runLiblinear(train: string, test: string, examples: number, solverArgs: string[] = []): Promise<ReferenceRun | null> {
  if (!haveTool('liblinear-train') || !haveTool('liblinear-predict')) return null;
  const dir = mkdtempSync(join(tmpdir(), 'leanml-ll-'));
  try {
    const ids = new Map<string, number>();
    const convert = async (src: string, dst: string): Promise<void> => {
      const out = createWriteStream(dst);
      let parts: string[] = [];
      await forEachLine(src, (buf, s, e) => {
        const tokens = buf.toString('utf8', s, e).split(/\s+/).filter(Boolean);
        const label = tokens.shift()!.replace('__label__', '');
        const idx = new Set<number>();
        for (const t of tokens) {
          let id = ids.get(t);
          if (id === undefined) ids.set(t, (id = ids.size + 1));
          idx.add(id);
        }
        parts.push(
          `${label === 'spam' || label === '1' ? '+1' : '-1'} ${[...idx]
            .sort((a, b) => a - b)
            .map((i) => `${i}:1`)
            .join(' ')}\n`,
        );
        if (parts.length >= 10000) {
          out.write(parts.join(''));
          parts = [];
        }
      });
      out.write(parts.join(''));
      await new Promise<void>((r) => out.end(() => r()));
    };
    const tr = join(dir, 'train.svm');
    const te = join(dir, 'test.svm');
    await convert(train, tr);
    await convert(test, te);
    const model = join(dir, 'model');
    const r = timeCommand('liblinear-train', ['-q', ...solverArgs, tr, model]);
    if (r.status !== 0) throw new Error(`liblinear-train failed: ${r.stderr}`);
    const p = timeCommand('liblinear-predict', [te, model, join(dir, 'pred')]);
    const acc = /Accuracy = ([\d.]+)%/.exec(p.stdout);
    return {
      tool: `LIBLINEAR liblinear-train ${solverArgs.length ? solverArgs.join(' ') : '(default: -s 1, C=1)'}`,
      examplesPerSecond: examples / r.seconds,
      accuracy: acc ? Number(acc[1]) / 100 : null,
      wallSeconds: r.seconds,
      trainSeconds: null,
      peakRssMiB: r.peakRssMiB,
      note: 'binary features 1:1 per distinct token (unnormalised); conversion to libsvm not timed',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
