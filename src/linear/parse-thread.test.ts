import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FormatError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { createRing, RECORD, RingReader, RingWriter } from './example-ring.js';
import type { LinearModel } from './linear-model.js';
import { trainLinear, type TrainOptions } from './train-linear.js';

const dir = mkdtempSync(join(tmpdir(), 'leanml-parse-thread-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, lines: string[]): string => {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
};

/** Cross-feature-like lines: a noisy linear concept over a few fields, as fastText and VW text. */
function lines(n: number, seed: number, labels = ['1', '-1']): { ft: string[]; vw: string[] } {
  const rng = new Rng(seed);
  const ft: string[] = [];
  const vw: string[] = [];
  for (let t = 0; t < n; t++) {
    const a = rng.int(30);
    const b = rng.int(50);
    const c = rng.int(7);
    const k = labels.length === 2 ? (((a + b) % 3 === 0) !== rng.next() < 0.1 ? 0 : 1) : (a + c) % labels.length;
    ft.push(`__label__${labels[k]} a${a} b${b} c${c} a${a}_b${b}${t % 97 === 0 ? ' a1 a1' : ''}`);
    vw.push(`${labels[k]} ${t % 13 === 0 ? '2.5 ' : ''}|a ${a} |b ${b}:${(1 + (b % 4)) / 2} |c ${c}`);
  }
  return { ft, vw };
}

/** Everything training produced, for exact comparison. */
function snapshot(m: LinearModel, summary: Awaited<ReturnType<typeof trainLinear>>['summary']): unknown {
  return {
    labels: m.labels,
    positive: m.positive,
    format: m.format,
    counters: m.learner.counters,
    state: m.learner.state.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('base64')),
    lookup: m.encoder.lookup ? Array.from({ length: m.encoder.lookup.size }, (_, id) => m.encoder.lookup!.name(id)) : null,
    summary: { ...summary, seconds: 0, parseThread: false },
  };
}

async function both(path: string, options: TrainOptions): Promise<void> {
  const one = await trainLinear(path, { ...options, parseThread: false });
  const two = await trainLinear(path, { ...options, parseThread: true });
  assert.equal(one.summary.parseThread, false);
  assert.equal(two.summary.parseThread, true);
  assert.deepEqual(snapshot(two.model, two.summary), snapshot(one.model, one.summary));
}

describe('parse thread: training equals the single-thread path bit for bit', () => {
  const d = lines(3000, 7);
  it('fastText lines, hinge, 2 passes, progress reports', async () => {
    const path = file('ft.txt', d.ft);
    const reports: unknown[][] = [[], []];
    const one = await trainLinear(path, {
      features: { mode: 'hash', bits: 16 },
      passes: 2,
      parseThread: false,
      reportEvery: 500,
      onProgress: (r) => reports[0]!.push(r),
    });
    const two = await trainLinear(path, {
      features: { mode: 'hash', bits: 16 },
      passes: 2,
      parseThread: true,
      reportEvery: 500,
      onProgress: (r) => reports[1]!.push(r),
    });
    assert.deepEqual(snapshot(two.model, two.summary), snapshot(one.model, one.summary));
    assert.deepEqual(reports[1], reports[0]);
    assert.equal(reports[0]!.length, 12);
  });
  it('VW lines with importance weights, feature values and crosses, logistic', async () => {
    await both(file('d.vw', d.vw), { features: { mode: 'hash', bits: 18, interactions: ['ab', 'bc'] }, learner: { loss: 'logistic' } });
  });
  it('non-default learner settings (normalised, averaged, L2) and format auto-detection', async () => {
    await both(file('d2.vw', d.vw), { features: { mode: 'hash', bits: 14, unitNorm: false }, learner: { normalized: true, average: true, l2: 1e-6 } });
  });
  it('three labels (one-vs-rest)', async () => {
    await both(file('multi.txt', lines(1500, 3, ['x', 'y', 'z']).ft), { features: { mode: 'hash', bits: 16 } });
  });
  it('continuing a model', async () => {
    const path = file('cont.txt', d.ft);
    const first = await trainLinear(path, { features: { mode: 'hash', bits: 16 }, parseThread: false });
    const clone = await trainLinear(path, { features: { mode: 'hash', bits: 16 }, parseThread: false });
    const one = await trainLinear(path, { model: first.model, parseThread: false });
    const two = await trainLinear(path, { model: clone.model, parseThread: true });
    assert.deepEqual(snapshot(two.model, two.summary), snapshot(one.model, one.summary));
  });
  it('bad lines: skipped and counted alike, or the same file:line error', async () => {
    const bad = [...d.vw.slice(0, 100), '1 |a 3 |b x:oops', ...d.vw.slice(100, 200), 'no bar here', '', '   ', ...d.vw.slice(200, 400)];
    const path = file('bad.vw', bad);
    await both(path, { features: { mode: 'hash', bits: 16 }, skipBad: true });
    const messages: string[] = [];
    for (const parseThread of [false, true]) {
      await assert.rejects(trainLinear(path, { features: { mode: 'hash', bits: 16 }, parseThread }), (e: Error) => {
        assert.ok(e instanceof FormatError);
        messages.push(e.message);
        return true;
      });
    }
    assert.equal(messages[1], messages[0]);
    assert.match(messages[0]!, /bad\.vw:101: bad feature value/);
  });
  it('an input with no examples and a missing file fail the same way', async () => {
    const empty = file('blank.txt', ['', '  ']);
    for (const path of [empty, join(dir, 'missing.txt')]) {
      const errs: string[] = [];
      for (const parseThread of [false, true]) {
        await assert.rejects(trainLinear(path, { features: { mode: 'hash', bits: 12 }, parseThread }), (e: Error) => {
          errs.push(`${e.constructor.name}: ${e.message}`);
          return true;
        });
      }
      assert.equal(errs[1], errs[0]);
    }
  });
  it('auto by default: for a large enough file on 2+ cores only; false forces one thread', async () => {
    const big = file('big.txt', Array.from({ length: 16 }, () => d.ft).flat()); // over 1 MiB
    assert.equal((await trainLinear(big, { features: { mode: 'hash', bits: 12 } })).summary.parseThread, availableParallelism() >= 2);
    assert.equal((await trainLinear(big, { features: { mode: 'hash', bits: 12 }, parseThread: 'auto' })).summary.parseThread, availableParallelism() >= 2);
    assert.equal((await trainLinear(big, { features: { mode: 'hash', bits: 12 }, parseThread: false })).summary.parseThread, false);
    const small = await trainLinear(file('small.txt', d.ft.slice(0, 50)), { features: { mode: 'hash', bits: 12 }, parseThread: 'auto' });
    assert.equal(small.summary.parseThread, false);
    const lookup = await trainLinear(big, {});
    assert.equal(lookup.summary.parseThread, availableParallelism() >= 2);
  });
  it('the exact lookup (the default): fastText lines, 2 passes', async () => {
    await both(file('lk.txt', d.ft), { passes: 2 });
  });
  it('the exact lookup: VW lines with named namespaces, values and importance weights, and with crosses', async () => {
    const path = file('lk.vw', d.vw);
    await both(path, {});
    await both(path, { features: { interactions: ['ab'] }, learner: { loss: 'logistic' } });
  });
  it('the exact lookup: a full lookup drops new features alike, and continuing a model keeps its ids', async () => {
    const path = file('lk-cont.txt', d.ft);
    await both(path, { features: { maxFeatures: 40 } });
    const first = await trainLinear(file('lk-half.txt', d.ft.slice(0, 1000)), { parseThread: false });
    const clone = await trainLinear(file('lk-half.txt', d.ft.slice(0, 1000)), { parseThread: false });
    const one = await trainLinear(path, { model: first.model, parseThread: false });
    const two = await trainLinear(path, { model: clone.model, parseThread: true });
    assert.deepEqual(snapshot(two.model, two.summary), snapshot(one.model, one.summary));
  });
});

describe('example ring', () => {
  it('carries examples, messages and control records across the wrap-around, in order', () => {
    const sab = createRing(64);
    const w = new RingWriter(sab);
    const r = new RingReader(sab);
    const idx = Int32Array.from([5, -1, 2147483647, 0, 9]);
    const val = Float32Array.from([0.5, -2, 1e-30, 3, Math.PI]);
    const label = Buffer.from('xx__label__spam');
    let expected = 0;
    for (let round = 0; round < 40; round++) {
      const n = round % 6;
      assert.ok(
        w.example(
          round % 2 === 0 ? RECORD.EXAMPLE : RECORD.TOKENS,
          round + 1,
          label,
          11,
          11 + (round % 5),
          round % 3 === 0 ? 1 : 0.1 * round,
          0.25 * round,
          1000 + round,
          idx,
          val,
          n,
        ),
      );
      if (round % 7 === 0) assert.ok(w.message(RECORD.BAD, round + 1, `bad ${round} é`));
      if (round % 11 === 0) assert.ok(w.control(RECORD.PASS_END, round));
      w.flush();
      for (;;) {
        if (!r.next(0)) break;
        if (r.kind === RECORD.EXAMPLE || r.kind === RECORD.TOKENS) {
          const k = expected++;
          assert.equal(r.kind, k % 2 === 0 ? RECORD.EXAMPLE : RECORD.TOKENS);
          assert.equal(r.scale, 0.25 * k);
          const nn = k % 6;
          assert.equal(r.lineNo, k + 1);
          assert.equal(r.a, nn);
          assert.equal(r.bytes.toString('utf8', r.labelAt, r.labelAt + r.labelLength), 'spam'.slice(0, k % 5));
          assert.equal(r.weight, k % 3 === 0 ? 1 : 0.1 * k);
          assert.deepEqual(Array.from(r.i32.subarray(r.idxAt, r.idxAt + nn)), Array.from(idx.subarray(0, nn)));
          assert.deepEqual(Array.from(r.f32.subarray(r.valAt, r.valAt + nn)), Array.from(val.subarray(0, nn)));
        } else if (r.kind === RECORD.BAD) {
          assert.equal(r.message(), `bad ${expected - 1} é`);
        } else {
          assert.equal(r.kind, RECORD.PASS_END);
          assert.equal(r.a, expected - 1);
        }
      }
    }
    assert.equal(expected, 40);
  });
  it('refuses a ring that is not a power of two', () => {
    assert.throws(() => createRing(1000), RangeError);
  });
});
