/**
 * leanml's side of the linear benchmarks: in-process training (read, parse, hash, learn)
 * timed like the references' in-process figures, the CLI timed as a process (wall seconds,
 * peak RSS), test accuracy, prediction latency and model size.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, saveLinearModel, trainLinear, type TrainOptions } from '../../src/linear/index.js';
import { medianSeconds, timeCommand } from '../result.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface OursRun {
  examplesPerSecond: number;
  trainSeconds: number;
  accuracy: number;
  auc: number | null;
  progressiveError: number;
  predictMicrosPerExample: number;
  modelBytes: number;
  cli?: { wallSeconds: number; peakRssMiB: number; examplesPerSecond: number };
}

/** Trains `repeats` times in process (median), evaluates, measures latency and size; optionally the CLI too. */
export async function runOurs(train: string, test: string, options: TrainOptions, opts: { repeats?: number; cliArgs?: string[] } = {}): Promise<OursRun> {
  let result: Awaited<ReturnType<typeof trainLinear>> | null = null;
  const seconds = await medianSeconds(async () => {
    result = await trainLinear(train, options);
  }, opts.repeats ?? 3);
  const { model, summary } = result!;
  const metrics = await evaluate(model, test);
  // latency: predictText on raw lines (parse + encode + dot product), one at a time
  const lines = readFileSync(test, 'utf8')
    .split('\n', 20_001)
    .filter((l) => l.length > 0)
    .slice(0, 20_000);
  const t0 = performance.now();
  for (const l of lines) model.predictText(l);
  const predictMicros = ((performance.now() - t0) * 1000) / lines.length;
  const dir = mkdtempSync(join(tmpdir(), 'leanml-bench-'));
  try {
    const path = join(dir, 'model.bin');
    saveLinearModel(model, path);
    const modelBytes = statSync(path).size;
    let cli: OursRun['cli'];
    if (opts.cliArgs) {
      const r = timeCommand(process.execPath, [
        '--import',
        'tsx',
        MAIN,
        'linear',
        'train',
        '--input',
        train,
        '--model',
        join(dir, 'cli.bin'),
        '--quiet',
        ...opts.cliArgs,
      ]);
      if (r.status !== 0) throw new Error(`leanml linear train failed: ${r.stderr}`);
      cli = { wallSeconds: r.seconds, peakRssMiB: r.peakRssMiB, examplesPerSecond: summary.examples / r.seconds };
    }
    return {
      examplesPerSecond: summary.examples / seconds,
      trainSeconds: seconds,
      accuracy: metrics.accuracy,
      auc: metrics.auc,
      progressiveError: summary.progressiveError,
      predictMicrosPerExample: predictMicros,
      modelBytes,
      cli,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
