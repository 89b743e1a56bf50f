// The job queue end to end, in process: submit, one and two workers, retries of a corrupt
// input, idempotent resubmission, clear errors (unreachable Redis, another version, missing
// inputs), and 10,000 small jobs draining with flat memory. Needs redis-server.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { REDIS_SERVER, requireTool } from '../../test/helpers/system-tool.js';
import { freePort, startRedis, type TestRedis } from '../../test/helpers/redis-server.js';
import { detectSpeaker, formatDetection, loadSpeakerModel } from '../speaker/index.js';
import {
  archiveReport,
  checkRedisUrl,
  metaKey,
  openQueue,
  queueStatus,
  redactRedisUrl,
  startWorker,
  submitJobs,
  type JobCommand,
  type RunningWorker,
} from './index.js';

const DEMO = new URL('../../data/speaker-demo/', import.meta.url).pathname;
const MODEL = join(DEMO, 'model');
const skip = requireTool(REDIS_SERVER);

async function until(cond: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('jobs: queue URLs', () => {
  it('accepts redis:// and rediss:// with passwords and never shows the password', () => {
    assert.equal(checkRedisUrl('rediss://:pa55word@queue.example:6380/2'), 'rediss://:pa55word@queue.example:6380/2');
    assert.equal(redactRedisUrl('rediss://:pa55word@queue.example:6380/2'), 'rediss://:***@queue.example:6380/2');
    assert.equal(redactRedisUrl('redis://alice:pa55word@h:6379'), 'redis://***:***@h:6379');
    assert.throws(() => checkRedisUrl('http://h:6379'), /redis:\/\/ or rediss:\/\//);
    assert.throws(
      () => checkRedisUrl('redis://:pa55word@h:6379/x'),
      (e: Error) => /database number/.test(e.message) && !e.message.includes('pa55word'),
    );
    assert.throws(
      () => checkRedisUrl('pa55word@nonsense'),
      (e: Error) => !e.message.includes('pa55word'),
    );
  });
});

describe('jobs: on a real Redis', { skip }, () => {
  let redis: TestRedis;
  let dir: string;
  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'leanml-jobs-test-'));
  });
  after(async () => {
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('unreachable Redis: a clear error naming the place, never the password', async () => {
    const port = await freePort();
    await assert.rejects(openQueue(`redis://:s3cret-pw@127.0.0.1:${port}`, { create: true, connectTimeoutMs: 2000 }), (e: Error) => {
      assert.match(e.message, new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/? from .*: connection refused`));
      assert.ok(!e.message.includes('s3cret'));
      return true;
    });
  });

  it('a queue of another leanml version, and a queue that does not exist, are refused', async () => {
    const q = await openQueue(redis.url, { name: 'old', create: true });
    await q.client.hset(metaKey(q.prefix, q.name), 'version', '0.0.1');
    await q.close();
    await assert.rejects(
      openQueue(redis.url, { name: 'old', create: true }),
      /queue 'old' at redis:\/\/127\.0\.0\.1:\d+\/? holds jobs of leanml 0\.0\.1; this is leanml \d/,
    );
    await assert.rejects(openQueue(redis.url, { name: 'never-made' }), /no leanml queue 'never-made'/);
  });

  it('one then two workers: every input one result equal to a direct detection; a corrupt input fails alone after its tries; resubmitting does no work', async () => {
    const inputs = ['broadcast.wav', 'target.wav'].map((f) => join(DEMO, f));
    const bad = join(dir, 'corrupt.wav');
    writeFileSync(bad, Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(60, 7)]));
    const out = join(dir, 'out1');
    const cmd: JobCommand = { kind: 'speaker-detect', model: MODEL, options: {} };
    const q = await openQueue(redis.url, { name: 'detect', create: true });
    const workers: RunningWorker[] = [];
    const logs: string[] = [];
    try {
      const s1 = await submitJobs(q, cmd, [...inputs, bad], out, { attempts: 2, backoffMs: 50 });
      assert.deepEqual(s1, { inputs: 3, added: 3, existing: 0 });
      workers.push(await startWorker(redis.url, { name: 'detect', log: (l) => logs.push(l) }));
      await until(async () => (await queueStatus(q)).pending === 0);
      const st = await queueStatus(q);
      assert.equal(st.counts.completed, 2);
      assert.equal(st.counts.failed, 1);
      assert.equal(st.failed[0]!.input, bad);
      assert.equal(st.failed[0]!.tries, 2);
      assert.match(st.failed[0]!.error, /corrupt\.wav/);
      assert.equal(logs.filter((l) => l.includes('corrupt.wav') && l.includes('failed')).length, 2, 'tried twice');

      const model = await loadSpeakerModel(MODEL);
      try {
        for (const input of inputs) {
          const stem = input.split('/').pop()!.replace('.wav', '');
          const files = readdirSync(out).filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.json'));
          assert.equal(files.length, 1, `one result for ${stem}`);
          assert.equal(readFileSync(join(out, files[0]!), 'utf8'), formatDetection(await detectSpeaker(model, input), 'json'));
        }
      } finally {
        model.dispose();
      }
      assert.ok(
        readdirSync(out).every((f) => !f.startsWith('.tmp-')),
        'no temporary files left',
      );

      // the same set again: nothing added, nothing run
      const before = logs.length;
      assert.deepEqual(await submitJobs(q, cmd, [...inputs, bad], out), { inputs: 3, added: 0, existing: 3 });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(logs.slice(before).filter((l) => l.includes('started')).length, 0);

      // a second worker on a new set (other options = other jobs): both take jobs, one result each
      workers.push(await startWorker(redis.url, { name: 'detect', log: (l) => logs.push(l) }));
      const out2 = join(dir, 'out2');
      const many = Array.from({ length: 6 }, (_, i) => inputs[i % 2]!);
      const copies = many.map((src, i) => {
        const p = join(dir, `copy${i}.wav`);
        writeFileSync(p, readFileSync(src));
        return p;
      });
      const s2 = await submitJobs(q, { ...cmd, options: { threshold: 0.7 } }, copies, out2);
      assert.equal(s2.added, 6);
      await until(async () => (await queueStatus(q)).pending === 0);
      assert.equal(readdirSync(out2).filter((f) => f.endsWith('.json')).length, 6);
      assert.equal(readdirSync(out2).filter((f) => f.endsWith('.html')).length, 6);

      const report = await archiveReport(q, join(dir, 'archive'));
      assert.equal(report.done, 8);
      assert.equal(report.failed, 1);
      const rttm = readFileSync(join(dir, 'archive', 'archive.rttm'), 'utf8');
      assert.match(rttm, /^SPEAKER broadcast 1 \d+\.\d{3} \d+\.\d{3} <NA> <NA> target <NA> <NA>$/m);
      const html = readFileSync(join(dir, 'archive', 'index.html'), 'utf8');
      assert.match(html, /href="\.\.\/out2\/copy0-[0-9a-f]{8}\.html"/);
      assert.match(html, /failed: .*corrupt\.wav/);
    } finally {
      for (const w of workers) await w.close();
      await q.close();
    }
  });

  it('missing inputs: refused at submission with every bad path named; a file gone on the worker fails with the host and a hint; a changed file is not retried', async () => {
    const q = await openQueue(redis.url, { name: 'paths', create: true });
    const w = await startWorker(redis.url, { name: 'paths' });
    try {
      await assert.rejects(
        submitJobs(q, { kind: 'audio-mel', options: {} }, [join(DEMO, 'target.wav'), join(dir, 'nope1.wav'), join(dir, 'nope2.wav')], join(dir, 'o')),
        /2 of 3 inputs cannot be read on .*nothing submitted: .*nope1\.wav: not found; .*nope2\.wav: not found/,
      );
      assert.equal((await queueStatus(q)).counts.total, 0);
      const gone = join(dir, 'gone.wav');
      const changed = join(dir, 'changed.wav');
      writeFileSync(gone, readFileSync(join(DEMO, 'target.wav')));
      writeFileSync(changed, readFileSync(join(DEMO, 'target.wav')));
      await w.worker.pause();
      await submitJobs(q, { kind: 'audio-mel', options: {} }, [gone, changed], join(dir, 'o'), { attempts: 2, backoffMs: 10 });
      unlinkSync(gone);
      utimesSync(changed, new Date(), new Date(Date.now() + 5000));
      w.worker.resume();
      await until(async () => (await queueStatus(q)).pending === 0);
      const st = await queueStatus(q);
      const byInput = new Map(st.failed.map((f) => [f.input, f]));
      assert.match(
        byInput.get(gone)!.error,
        /gone\.wav not found on .* \(submitted from .*\); every worker must see the inputs at the same path \(shared storage\)/,
      );
      assert.equal(byInput.get(gone)!.tries, 2);
      assert.match(byInput.get(changed)!.error, /changed since it was submitted/);
      assert.equal(byInput.get(changed)!.tries, 1, 'not retried');
    } finally {
      await w.close();
      await q.close();
    }
  });

  it('10,000 small jobs enqueue and drain with flat memory', { timeout: 120_000 }, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const inDir = join(dir, 'many');
    const out = join(dir, 'many-out');
    rmSync(inDir, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(inDir);
    const N = 10_000;
    const paths = Array.from({ length: N }, (_, i) => {
      const p = join(inDir, `w${i}.txt`);
      writeFileSync(p, `file license word${i}\n`);
      return p;
    });
    const q = await openQueue(redis.url, { name: 'many', create: true });
    const model = new URL('../../test/fixtures/fasttext/models/skipgram.bin', import.meta.url).pathname;
    let w: RunningWorker | undefined;
    try {
      const s = await submitJobs(q, { kind: 'fasttext-vectors', model, options: {} }, paths, out);
      assert.equal(s.added, N);
      w = await startWorker(redis.url, { name: 'many', concurrency: 32 });
      const heap: number[] = [];
      await until(async () => {
        const c = await q.queue.getJobCounts('completed', 'failed');
        if (c.completed! >= N * 0.2 && heap.length === 0) {
          gc();
          heap.push(process.memoryUsage().heapUsed);
        }
        return c.completed! + c.failed! === N;
      }, 110_000);
      gc();
      heap.push(process.memoryUsage().heapUsed);
      const st = await queueStatus(q);
      assert.equal(st.counts.completed, N);
      assert.equal(st.counts.failed, 0);
      assert.equal(readdirSync(out).length, N);
      assert.ok(existsSync(join(out, readdirSync(out)[0]!)));
      const growthMiB = (heap[1]! - heap[0]!) / 2 ** 20;
      assert.ok(growthMiB < 24, `heap grew ${growthMiB.toFixed(1)} MiB from 20% to 100% of 10,000 jobs`);
    } finally {
      await w?.close();
      await q.close();
    }
  });
});
