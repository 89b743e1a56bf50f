import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FormatError, UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { evaluate } from './evaluate.js';
import { inspectModel } from './inspect-model.js';
import { loadLinearModel, loadLinearModelSync, saveLinearModel } from './model-file.js';
import { crossHash, murmur3, murmur3String } from './murmur-hash.js';
import { trainLinear, type ProgressReport } from './train-linear.js';

const dir = mkdtempSync(join(tmpdir(), 'leanml-linear-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, lines: string[]): string => {
  const p = join(dir, name);
  writeFileSync(p, lines.length ? `${lines.join('\n')}\n` : '');
  return p;
};

/** A separable-ish text task: spam lines use words s0..s19, ham lines h0..h19, both share c0..c9. */
function textData(n: number, seed: number, labels = ['spam', 'ham']): { label: string; words: string[] }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const k = rng.int(labels.length);
    const words = Array.from({ length: 6 }, () => (rng.next() < 0.6 ? `${labels[k]!.slice(0, 2)}${rng.int(20)}` : `c${rng.int(10)}`));
    return { label: labels[k]!, words };
  });
}
const asFastText = (d: ReturnType<typeof textData>) => d.map((e) => `__label__${e.label} ${e.words.join(' ')}`);
const asVw = (d: ReturnType<typeof textData>) => d.map((e) => `${e.label === 'spam' ? 1 : -1} |w ${e.words.join(' ')} |len n:${e.words.length / 10}`);
const asLibsvm = (d: ReturnType<typeof textData>) =>
  d.map((e) => {
    const ids = [...new Set(e.words.map((w) => (w.startsWith('c') ? 100 : w.startsWith('sp') ? 0 : 50) + Number(w.replace(/\D/g, ''))))].sort((a, b) => a - b);
    return `${e.label === 'spam' ? '+1' : '-1'} ${ids.map((i) => `${i + 1}:1`).join(' ')}`;
  });

describe('trainLinear on each format, loss and feature mode', () => {
  const train = textData(600, 1);
  const test = textData(200, 2);
  const cases = [
    { name: 'fastText', fmt: asFastText },
    { name: 'vw', fmt: asVw },
    { name: 'libsvm', fmt: asLibsvm },
  ];
  for (const { name, fmt } of cases) {
    for (const loss of ['hinge', 'logistic'] as const) {
      for (const mode of ['lookup', 'hash'] as const) {
        it(`${name}, ${loss}, ${mode}: learns the task`, async () => {
          const tr = file(`${name}-train.txt`, fmt(train));
          const te = file(`${name}-test.txt`, fmt(test));
          const { model, summary } = await trainLinear(tr, { features: { mode, bits: 18 }, learner: { loss } });
          assert.equal(summary.examples, 600);
          const m = await evaluate(model, te);
          assert.equal(m.n, 200);
          assert.ok(m.accuracy > 0.95, `accuracy ${m.accuracy}`);
          assert.ok(m.auc! > 0.98, `auc ${m.auc}`);
          assert.equal(model.labels[model.positive], name === 'fastText' ? 'spam' : name === 'vw' ? '1' : '+1');
        });
      }
    }
  }

  it('n-grams and interactions add named features in lookup mode, and hash to slots in hash mode', async () => {
    const tr = file('q.vw', ['1 |a x |b y', '-1 |a z |b y']);
    const { model } = await trainLinear(tr, { features: { mode: 'lookup', interactions: ['ab'] } });
    const names = inspectModel(model, 10).flatMap((r) => [...r.positive, ...r.negative].map((f) => f.feature));
    assert.ok(names.includes('a^x*b^y'), names.join(','));
    const ng = file('ng.txt', ['__label__a one two three', '__label__b three two one']);
    const { model: m2 } = await trainLinear(ng, { features: { ngrams: 3 } });
    const n2 = inspectModel(m2, 50).flatMap((r) => [...r.positive, ...r.negative].map((f) => f.feature));
    for (const f of ['one two', 'one two three', 'two one', '<bias>']) assert.ok(n2.includes(f), `${f} in ${n2.join(',')}`);
    const { model: m3, summary } = await trainLinear(tr, { features: { mode: 'hash', bits: 10, interactions: ['ab'] } });
    assert.equal(summary.slots, 1024);
    assert.equal(m3.encoder.encode((m3.parseLine(Buffer.from('|a x |b y'), 0, 9), m3.parsed), false), 4); // x, y, x*y, bias
  });

  it('cubic interactions: named triples in lookup mode, hashed as the cross of the pair with the third', async () => {
    const tr = file('c.vw', ['1 |a x |b y |c z w', '-1 |a x |b y |c v']);
    const { model } = await trainLinear(tr, { features: { mode: 'lookup', interactions: ['abc'] } });
    const names = inspectModel(model, 50).flatMap((r) => [...r.positive, ...r.negative].map((f) => f.feature));
    for (const f of ['a^x*b^y*c^z', 'a^x*b^y*c^w', 'a^x*b^y*c^v']) assert.ok(names.includes(f), `${f} in ${names.join(',')}`);
    assert.ok(!names.some((f) => f.split('*').length === 2), 'no pair features without pair interactions');
    // hash mode: the triple's slot is cross(cross(a, b), c) of the namespaced feature hashes
    const { model: h } = await trainLinear(tr, { features: { mode: 'hash', bits: 20, interactions: ['abc'], unitNorm: false, bias: false } });
    const line = Buffer.from('|a x |b y |c z');
    h.parseLine(line, 0, line.length);
    const n = h.encoder.encode(h.parsed, false);
    const ha = murmur3(Buffer.from('x'), 0, 1, murmur3String('a'));
    const hb = murmur3(Buffer.from('y'), 0, 1, murmur3String('b'));
    const hc = murmur3(Buffer.from('z'), 0, 1, murmur3String('c'));
    assert.equal(n, 4);
    assert.equal(h.encoder.idx[3], crossHash(crossHash(ha, hb), hc) & ((1 << 20) - 1));
    // within one namespace each unordered triple once: 4 tokens give 4 triples
    const { model: same } = await trainLinear(file('aaa.vw', ['1 |a p q r s']), { features: { mode: 'lookup', interactions: ['aaa'], bias: false } });
    assert.equal(same.encoder.slots, 1 + 4 + 4);
  });

  it('cubic interactions learn a three-way parity that pairs cannot', async () => {
    const rng = new Rng(5);
    const rows = Array.from({ length: 4000 }, () => {
      const [a, b, c] = [rng.int(2), rng.int(2), rng.int(2)];
      return `${(a ^ b ^ c) === 1 ? 1 : -1} |a v${a} |b v${b} |c v${c}`;
    });
    const tr = file('parity-train.vw', rows.slice(0, 3000));
    const te = file('parity-test.vw', rows.slice(3000));
    const acc = async (interactions: string[]): Promise<number> =>
      (await evaluate((await trainLinear(tr, { features: { mode: 'hash', bits: 16, interactions }, passes: 3 })).model, te)).accuracy;
    assert.equal(await acc(['abc']), 1);
    assert.ok((await acc(['ab', 'bc', 'ac'])) < 0.9);
  });

  it('one-vs-rest for three or more labels', async () => {
    const labels = ['red', 'green', 'blue'];
    const tr = file('multi-train.txt', asFastText(textData(900, 3, labels)));
    const te = file('multi-test.txt', asFastText(textData(300, 4, labels)));
    const { model } = await trainLinear(tr, { passes: 2 });
    assert.equal(model.learner.vectors, 3);
    const m = await evaluate(model, te);
    assert.ok(m.accuracy > 0.9, `accuracy ${m.accuracy}`);
    assert.equal(m.auc, null);
    assert.ok(labels.includes(model.predictText('gr3 gr5 gr7').label));
    assert.equal(model.predictText('gr3 gr5 gr7 gr1').label, 'green');
  });

  it('the binary vector becomes one-vs-rest when a third label appears, keeping what it learned', async () => {
    const d = textData(400, 5);
    const tr = file('grow.txt', [...asFastText(d), '__label__other zz1 zz2', '__label__other zz1 zz3']);
    const { model } = await trainLinear(tr);
    assert.equal(model.learner.vectors, 3);
    assert.equal(model.predictText('sp1 sp2 sp3').label, 'spam');
    assert.equal(model.predictText('ha1 ha2 ha3').label, 'ham');
  });

  it('progressive validation reports windows and falls as the model learns', async () => {
    const tr = file('pv.txt', asFastText(textData(1000, 6)));
    const reports: ProgressReport[] = [];
    const { summary } = await trainLinear(tr, { reportEvery: 250, onProgress: (r) => reports.push(r) });
    assert.deepEqual(
      reports.map((r) => r.examples),
      [250, 500, 750, 1000],
    );
    assert.ok(reports[3]!.windowError < reports[0]!.windowError, JSON.stringify(reports));
    assert.ok(Math.abs(summary.progressiveError - reports[3]!.error) < 1e-12);
  });

  it('a shuffle buffer rescues a file grouped by class', async () => {
    const d = textData(1000, 7);
    const grouped = [...d.filter((e) => e.label === 'spam'), ...d.filter((e) => e.label === 'ham')];
    const tr = file('grouped.txt', asFastText(grouped));
    const te = file('grouped-test.txt', asFastText(textData(300, 8)));
    const plain = await evaluate((await trainLinear(tr, { learner: { average: true } })).model, te);
    const shuffled = await evaluate((await trainLinear(tr, { shuffleBuffer: 1000, learner: { average: true } })).model, te);
    assert.ok(shuffled.accuracy > 0.95, `shuffled ${shuffled.accuracy}`);
    assert.ok(shuffled.accuracy > plain.accuracy, `${shuffled.accuracy} vs ${plain.accuracy}`);
  });
});

describe('models on disk', () => {
  it('save/load round trip: same predictions, same state, no temporary files left', async () => {
    for (const features of [{ mode: 'lookup' as const }, { mode: 'hash' as const, bits: 12 }]) {
      for (const learner of [{}, { average: true, normalized: true, l2: 1e-4, loss: 'logistic' as const }]) {
        const sub = mkdtempSync(join(dir, 'rt-'));
        const tr = file('rt.txt', asFastText(textData(300, 9)));
        const { model } = await trainLinear(tr, { features, learner });
        const path = join(sub, 'm.bin');
        saveLinearModel(model, path);
        assert.deepEqual(readdirSync(sub), ['m.bin']);
        const back = await loadLinearModel(path);
        assert.deepEqual(back.labels, model.labels);
        assert.deepEqual(back.settings, model.settings);
        for (const text of ['sp1 sp2 c3', 'ha4 c1', 'nothing known']) assert.deepEqual(back.predictText(text), model.predictText(text));
        assert.deepEqual(back.learner.counters, model.learner.counters);
        assert.deepEqual(
          back.learner.state[0]!.subarray(0, back.encoder.slots * back.learner.stride),
          model.learner.state[0]!.subarray(0, model.encoder.slots * model.learner.stride),
        );
      }
    }
  });

  it('continuing from a saved model equals training on both files in one go', async () => {
    const a = file('part-a.txt', asFastText(textData(300, 10)));
    const b = file('part-b.txt', asFastText(textData(300, 11)));
    const both = file('both.txt', [...readFileSync(a, 'utf8').trim().split('\n'), ...readFileSync(b, 'utf8').trim().split('\n')]);
    const learner = { average: true, l2: 1e-5 };
    const { model: first } = await trainLinear(a, { learner });
    const path = join(dir, 'cont.bin');
    saveLinearModel(first, path);
    const { model: continued, summary } = await trainLinear(b, { model: loadLinearModelSync(path) });
    assert.equal(summary.examples, 300);
    const { model: oneGo } = await trainLinear(both, { learner });
    const probe = ['sp1 sp2', 'ha3 c4', 'c1 c2 sp9'];
    for (const t of probe) {
      const x = continued.predictText(t);
      const y = oneGo.predictText(t);
      assert.equal(x.label, y.label);
      assert.ok(Math.abs(x.score - y.score) < 1e-4, `${x.score} vs ${y.score}`);
    }
    assert.equal(continued.learner.counters.steps, 600);
  });

  it('truncated, garbled or foreign model files are clear errors', async () => {
    const { model } = await trainLinear(file('g.txt', asFastText(textData(50, 12))));
    const path = join(dir, 'good.bin');
    saveLinearModel(model, path);
    const good = readFileSync(path);
    const cases: [string, Buffer, RegExp][] = [
      ['empty', Buffer.alloc(0), /shorter than the 16-byte preamble/],
      ['foreign', Buffer.from('PK\u0003\u0004 this is a zip file, not a model'), /bad magic/],
      ['version', Buffer.concat([good.subarray(0, 8), Buffer.from([9, 0, 0, 0]), good.subarray(12)]), /unsupported version 9/],
      ['truncated', good.subarray(0, good.length - 100), /truncated|runs past the end|expected/],
      ['extra bytes', Buffer.concat([good, Buffer.alloc(8)]), /unexpected bytes/],
      ['header length', Buffer.concat([good.subarray(0, 12), Buffer.from([0xff, 0xff, 0xff, 0x7f]), good.subarray(16)]), /header length/],
      [
        'garbled header',
        Buffer.concat([good.subarray(0, 16), Buffer.from('{'.padEnd(good.readUInt32LE(12), 'x')), good.subarray(16 + good.readUInt32LE(12))]),
        /header JSON/,
      ],
    ];
    for (const [name, bytes, re] of cases) {
      const p = join(dir, `bad-${name}.bin`);
      writeFileSync(p, bytes);
      assert.throws(
        () => loadLinearModelSync(p),
        (e: unknown) => e instanceof FormatError && re.test(e.message) && e.message.includes(p),
        name,
      );
    }
  });
});

describe('bad input', () => {
  it('a malformed line stops training with file:line and what was wrong', async () => {
    const p = file('bad.vw', ['1 |a x', '-1 |a y', '1 |a x:oops', '-1 |a z']);
    await assert.rejects(trainLinear(p), (e: unknown) => e instanceof FormatError && e.message === `${p}:3: bad feature value in 'x:oops'`);
  });
  it('--skip-bad counts and skips, and reports the first messages', async () => {
    const p = file('skip.vw', ['1 |a x', 'garbage without bar', '-1 |a y', '|a unlabelled', '1 |a x']);
    const { summary } = await trainLinear(p, { skipBad: true });
    assert.equal(summary.examples, 3);
    assert.equal(summary.skipped, 2);
    assert.match(summary.skippedMessages[0]!, /skip\.vw:2: expected a '\|'/);
    assert.match(summary.skippedMessages[1]!, /skip\.vw:4: no label/);
  });
  it('an empty file (or only blank lines) is a clear error', async () => {
    for (const lines of [[], ['', '   ', '']]) {
      const p = file('empty.txt', lines);
      await assert.rejects(trainLinear(p), (e: unknown) => e instanceof FormatError && e.message === `${p}: no examples (empty input)`);
    }
    const allBad = file('allbad.txt', ['1 |a x:?', '1 |a y:?']);
    await assert.rejects(trainLinear(allBad, { format: 'vw', skipBad: true }), /no valid examples \(2 malformed lines skipped/);
  });
  it('bad options are usage errors', async () => {
    const p = file('ok.txt', ['__label__a x']);
    await assert.rejects(trainLinear(p, { passes: 0 }), UsageError);
    await assert.rejects(trainLinear(undefined, { passes: 2 }), /stdin can be read only once/);
    await assert.rejects(trainLinear(p, { features: { bits: 40, mode: 'hash' } }), /bits must be an integer in \[1, 30\]/);
    await assert.rejects(trainLinear(p, { features: { interactions: ['abcd'] } }), /two or three namespace characters/);
    await assert.rejects(trainLinear(p, { features: { interactions: ['a'] } }), /two or three namespace characters/);
  });
  it('evaluate names the line of a malformed test line', async () => {
    const { model } = await trainLinear(file('ev.txt', ['__label__a x', '__label__b y']));
    const bad = file('ev-bad.txt', ['__label__a x', 'no label here']);
    await assert.rejects(evaluate(model, bad), (e: unknown) => e instanceof FormatError && e.message === `${bad}:2: no label`);
  });
});
