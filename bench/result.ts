/**
 * The JSON shape every benchmark prints, and helpers to measure time and memory the same way
 * in all of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchResult {
  name: string;
  ours: Record<string, unknown>;
  reference: ({ tool: string } & Record<string, unknown>) | null;
  /** > 1 means leanml is better (faster, smaller) than the reference. */
  ratio: number | null;
  note?: string;
}

/** Whether an executable is on the PATH. */
export function haveTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Whether /usr/bin/python3 can import all of `modules`. */
export function havePython(...modules: string[]): boolean {
  return spawnSync('/usr/bin/python3', ['-c', modules.map((m) => `import ${m}`).join(';')], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs a command and measures wall seconds and peak RSS (MiB) with GNU time
 * (`apt-get install time`), so references and leanml's CLI are measured the same way.
 */
export function timeCommand(
  cmd: string,
  args: string[],
  opts: { input?: string | Buffer; cwd?: string } = {},
): { seconds: number; cpuSeconds: number; peakRssMiB: number; stdout: string; stderr: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'leanml-time-'));
  const out = join(dir, 'time.txt');
  try {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%M %U %S', cmd, ...args], {
      input: opts.input,
      cwd: opts.cwd,
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    });
    const seconds = (performance.now() - t0) / 1000;
    if (r.error) throw r.error;
    const [peakKiB, user, sys] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
    return { seconds, cpuSeconds: user + sys, peakRssMiB: peakKiB / 1024, stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median of repeated timings of `fn` (seconds). */
export async function medianSeconds(fn: () => unknown | Promise<unknown>, repeats = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
