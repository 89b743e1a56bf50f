/**
 * jobs-scale: speaker detection over many long recordings through the job queue, with one
 * worker process and then two (`leanml worker --concurrency 2`), each on a fresh queue of the
 * same files on a private redis-server. Wall time runs from starting the worker command (model
 * load included) until the queue is drained, as a user's run would take.
 * The recordings are the bundled demo broadcast repeated to `--minutes` (default 10), `--files`
 * of them (default 20), generated once under bench/data/jobs-scale/.
 *
 * ours = two workers, reference = one worker measured in the same run; ratio = throughput of
 * two over one (the target on 2 cores is >= 1.8).
 *
 * Usage: npm run bench -- jobs-scale [--files N] [--minutes M]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../test/helpers/redis-server.js';
import { DEFAULT_AUDIO, loadMono, writeWav } from '../src/audio/index.js';
import { openQueue, queueStatus, submitJobs } from '../src/jobs/index.js';
import type { BenchResult } from './result.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');
const DEMO = join(ROOT, 'data/speaker-demo');

function option(args: string[], name: string, def: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
}

/** The demo broadcast repeated to `minutes`, `n` files (each starts at a different offset so they differ). */
export async function makeAudio(n: number, minutes: number): Promise<string[]> {
  const dir = join(ROOT, 'bench/data/jobs-scale', `${minutes}min`);
  mkdirSync(dir, { recursive: true });
  const sr = DEFAULT_AUDIO.sampleRate;
  const x = await loadMono(join(DEMO, 'broadcast.wav'), sr);
  const len = Math.round(minutes * 60 * sr);
  const paths: string[] = [];
  for (let f = 0; f < n; f++) {
    const p = join(dir, `archive-${String(f).padStart(3, '0')}.wav`);
    paths.push(p);
    if (existsSync(p)) continue;
    const y = new Float32Array(len);
    const shift = Math.round((f * 1.7 * sr) % x.length);
    for (let i = 0; i < len; i++) y[i] = x[(i + shift) % x.length]!;
    writeWav(p, [y], sr);
  }
  return paths;
}

async function drainWith(url: string, name: string, files: string[], out: string, concurrency: number): Promise<Record<string, number>> {
  const q = await openQueue(url, { name, create: true });
  let child: ChildProcess | undefined;
  try {
    await submitJobs(q, { kind: 'speaker-detect', model: join(DEMO, 'model'), options: {} }, files, out);
    const t0 = performance.now();
    child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker', '--queue', url, '--name', name, '--concurrency', String(concurrency)], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (;;) {
      const c = await q.queue.getJobCounts('completed', 'failed');
      if (c.completed! + c.failed! === files.length) break;
      if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - t0) / 1000;
    const st = await queueStatus(q);
    return { seconds: Math.round(seconds * 100) / 100, completed: st.counts.completed, failed: st.counts.failed };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await q.close();
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const n = Number(option(args, '--files', '20'));
  const minutes = Number(option(args, '--minutes', '10'));
  process.stderr.write(`jobs-scale: ${n} files of ${minutes} min\n`);
  const files = await makeAudio(n, minutes);
  const audioSeconds = n * minutes * 60;
  const redis = await startRedis();
  const outBase = join(ROOT, 'bench/data/jobs-scale/out');
  rmSync(outBase, { recursive: true, force: true });
  try {
    process.stderr.write('jobs-scale: one worker\n');
    const one = await drainWith(redis.url, 'scale-1', files, join(outBase, 'one'), 1);
    process.stderr.write('jobs-scale: two workers\n');
    const two = await drainWith(redis.url, 'scale-2', files, join(outBase, 'two'), 2);
    const fig = (r: Record<string, number>) => ({
      ...r,
      filesPerMinute: Math.round((n / r.seconds!) * 6000) / 100,
      realTimeFactor: Math.round(audioSeconds / r.seconds!),
    });
    return {
      name: 'jobs-scale',
      ours: { workers: 2, files: n, minutesEach: minutes, audioSeconds, ...fig(two) },
      reference: { tool: 'leanml worker, one process (same run)', workers: 1, ...fig(one) },
      ratio: Math.round((one.seconds! / two.seconds!) * 1000) / 1000,
      note: 'ratio = throughput with two worker processes over one (wall time from worker start, model load included, to the last result). Inputs: the bundled demo broadcast repeated; a private redis-server on loopback.',
    };
  } finally {
    await redis.stop();
  }
}
