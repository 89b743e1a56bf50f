// `leanml worker` as users run it: real processes on a private Redis. A worker killed with
// SIGKILL in the middle of a job: the job is taken again by another worker (BullMQ's stalled-
// job check) and every input ends with exactly one result, equal to a direct `speaker detect`.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRedis, type TestRedis } from '../../test/helpers/redis-server.js';
import { REDIS_SERVER, requireTool } from '../../test/helpers/system-tool.js';
import { loadMono, writeWav } from '../audio/index.js';
import { openQueue, queueStatus, submitJobs } from '../jobs/index.js';

const MAIN = new URL('./main.ts', import.meta.url).pathname;
const DEMO = new URL('../../data/speaker-demo/', import.meta.url).pathname;
const skip = requireTool(REDIS_SERVER);

function startWorkerProcess(url: string, lines: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker', '--queue', url, '--name', 'kill', '--lock-ms', '1500'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let buf = '';
  child.stderr!.on('data', (d) => {
    buf += String(d);
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
  });
  return child;
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('leanml worker (CLI)', { skip }, () => {
  let redis: TestRedis;
  let dir: string;
  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'leanml-worker-test-'));
  });
  after(async () => {
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 mid-job: the job runs again elsewhere; one result per input, equal to speaker detect', { timeout: 180_000 }, async () => {
    // long enough (4 min of audio) that the kill lands while the job runs
    const x = await loadMono(join(DEMO, 'broadcast.wav'), 22050);
    const long = new Float32Array(x.length * 8);
    for (let i = 0; i < 8; i++) long.set(x, i * x.length);
    const inputs = ['a', 'b'].map((n) => join(dir, `${n}.wav`));
    writeWav(inputs[0]!, [long], 22050);
    writeWav(inputs[1]!, [long.subarray(x.length)], 22050);
    const out = join(dir, 'out');
    const q = await openQueue(redis.url, { name: 'kill', create: true });
    const linesA: string[] = [];
    const linesB: string[] = [];
    let a: ChildProcess | undefined;
    let b: ChildProcess | undefined;
    try {
      await submitJobs(q, { kind: 'speaker-detect', model: join(DEMO, 'model'), options: {} }, inputs, out);
      a = startWorkerProcess(redis.url, linesA);
      await until(() => linesA.some((l) => l.includes(' started: ')), 120_000, 'worker A to start a job');
      a.kill('SIGKILL');
      const killedJob = /job ([0-9a-f]+) started/.exec(linesA.find((l) => l.includes(' started: '))!)![1]!;
      b = startWorkerProcess(redis.url, linesB);
      await until(async () => (await queueStatus(q)).pending === 0, 150_000, 'the queue to drain');
      const st = await queueStatus(q);
      assert.equal(st.counts.completed, 2, JSON.stringify(st));
      assert.equal(st.counts.failed, 0);
      assert.ok(
        linesB.some((l) => l.includes(`job ${killedJob} stalled`)),
        `worker B found the killed job stalled:\n${linesB.join('\n')}`,
      );
      assert.ok(
        linesB.some((l) => l.includes(`job ${killedJob} done`)),
        'and ran it',
      );
      const files = readdirSync(out).sort();
      assert.equal(files.filter((f) => f.endsWith('.json')).length, 2, files.join(' '));
      assert.equal(files.filter((f) => f.startsWith('.tmp-')).length, 0, 'no half-written result left');
      // identical to a direct CLI run on the killed job's input
      const killedInput = linesA.find((l) => l.includes(' started: '))!.split(' started: ')[1]!;
      const stem = killedInput.split('/').pop()!.replace('.wav', '');
      const direct = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'speaker', 'detect', '--model', join(DEMO, 'model'), killedInput], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(direct.status, 0, direct.stderr);
      assert.equal(readFileSync(join(out, files.find((f) => f.startsWith(`${stem}-`) && f.endsWith('.json'))!), 'utf8'), direct.stdout);
    } finally {
      a?.kill('SIGKILL');
      if (b && b.exitCode === null) {
        const exited = new Promise((r) => b!.once('exit', r));
        b.kill('SIGTERM');
        await exited;
      }
      await q.close();
    }
  });
});
