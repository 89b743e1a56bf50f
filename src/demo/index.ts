/**
 * @module
 * The demo tour: each module contributes one step that runs on bundled data and prints what
 * it did. Steps are listed in `steps.ts`.
 */
import { UsageError } from '../core/errors.js';
import { MissingPackageError } from '../core/require-optional.js';
import { DEMO_STEPS } from './steps.js';

export interface DemoOptions {
  /** Run only these steps (by name). */
  only?: string[];
  /** Where the tour prints (one line per call). */
  log: (line: string) => void;
}

/** One step of the tour. */
export interface DemoStep {
  name: string;
  title: string;
  run(log: (line: string) => void): Promise<void>;
}

export async function runDemo(opts: DemoOptions): Promise<void> {
  const names = DEMO_STEPS.map((s) => s.name);
  for (const n of opts.only ?? []) if (!names.includes(n)) throw new UsageError(`demo: unknown step '${n}' (steps: ${names.join(', ')})`);
  const steps = opts.only ? DEMO_STEPS.filter((s) => opts.only!.includes(s.name)) : DEMO_STEPS;
  opts.log(`leanml demo: ${steps.length} step(s)`);
  for (const [i, step] of steps.entries()) {
    opts.log('');
    opts.log(`== ${i + 1}. ${step.title} ==`);
    const t0 = performance.now();
    try {
      await step.run(opts.log);
    } catch (err) {
      // a step whose optional package is not installed is skipped, saying what to install
      if (!(err instanceof MissingPackageError)) throw err;
      opts.log(`   skipped: ${err.message}`);
      continue;
    }
    opts.log(`   (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
  }
}
