/**
 * The allocation-free predictor against the plain route (VectorModel's line rows summed through
 * `RowMatrix.addRow`, `Predictor`, allocating): same labels, same probabilities bit for bit, on
 * every supervised golden model (hs, softmax with word n-grams, ova, ns, pruned and quantised),
 * for real lines and random bytes; and the streaming writer against the fastText CLI's output.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import fc from 'fast-check';
import type { BinModel } from './bin-model.js';
import { openBin } from './open.js';
import type { LinePredictorLike } from './line-predictor.js';
import { PredictStream } from './predict-stream.js';
import { VectorModel } from './vector-model.js';

const FX = 'test/fixtures/fasttext';
const MODELS = ['sup-hs.bin', 'sup-softmax.bin', 'sup-ova.bin', 'sup-ns.bin', 'q-norm.ftz', 'q-plain.ftz', 'q-out.ftz'];
const enc = new TextEncoder();
const opened: BinModel[] = [];
after(() => opened.forEach((m) => m.close()));

function open(name: string): BinModel {
  const m = openBin(`${FX}/models/${name}`);
  opened.push(m);
  return m;
}

function results(p: LinePredictorLike, line: Uint8Array, eos: boolean, k: number, threshold: number): [number, number][] {
  const n = p.predictLine(line, 0, line.length, eos, k, threshold);
  return Array.from({ length: n }, (_, i) => [p.labelIds[i]!, p.probs[i]!]);
}

const corpus = readFileSync(`${FX}/corpus/lang.txt`, 'utf8')
  .split('\n')
  .filter((_, i) => i % 97 === 0)
  .map((l) => l.replace(/^__label__\S+ /, ''));

for (const name of MODELS) {
  test(`LinePredictor agrees with the plain route bit for bit: ${name}`, () => {
    const m = open(name);
    const fast = m.linePredictor();
    const plain = VectorModel.prototype.linePredictor.call(m);
    for (const [i, text] of corpus.entries()) {
      const line = enc.encode(text);
      for (const [k, t] of [
        [1, 0],
        [3, 0],
        [-1, 0.01],
      ] as const) {
        assert.deepEqual(results(fast, line, i % 2 === 0, k, t), results(plain, line, i % 2 === 0, k, t), `${name} line ${i} k ${k}`);
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), fc.integer({ min: 1, max: 5 }), (bytes, eos, k) => {
        assert.deepEqual(results(fast, bytes, eos, k, 0), results(plain, bytes, eos, k, 0));
      }),
      { numRuns: 300 },
    );
  });
}

test('LinePredictor: unknown words come from the cache the same as computed afresh', () => {
  const m = open('q-norm.ftz');
  const p = m.linePredictor();
  const line = enc.encode('zyxq wvut zyxq qqqqq wvut zyxq');
  const first = results(p, line, true, 3, 0);
  for (let i = 0; i < 3; i++) assert.deepEqual(results(p, line, true, 3, 0), first);
  // thousands of distinct unknown words fill the cache and empty it: answers do not change
  for (let i = 0; i < 12_000; i++) p.predictLine(enc.encode(`w${i}x${i * 7}`), 0, 6, true, 1, 0);
  assert.deepEqual(results(p, line, true, 3, 0), first);
  assert.deepEqual(results(VectorModel.prototype.linePredictor.call(m), line, true, 3, 0), first);
});

test('predictBatch: one result per text, as predict, strings and bytes alike', () => {
  const m = open('sup-softmax.bin');
  const texts = corpus.slice(0, 20);
  const batch = m.predictBatch(texts, 2);
  assert.equal(batch.length, texts.length);
  texts.forEach((t, i) => {
    assert.deepEqual(batch[i], m.predict(t, 2));
    assert.deepEqual(batch[i], m.predict(enc.encode(t), 2));
  });
  assert.throws(() => m.predictBatch(['x'], 0), /k must be 1 or higher/);
  assert.equal(m.predictBatch(['x'], -1)[0]!.length, m.nlabels);
});

test('PredictStream: output of the fastText CLI, whatever the chunking', () => {
  for (const name of ['q-norm.ftz', 'sup-hs.bin']) {
    const m = open(name);
    const input = readFileSync(`${FX}/sentences.txt`);
    const want = readFileSync(`${FX}/out/${name.replace('.', '-')}.predict3.txt`, 'utf8');
    const whole = new PredictStream(m.linePredictor(), { k: 3, threshold: 0 });
    const dec = new TextDecoder();
    assert.equal(dec.decode(whole.push(input)) + dec.decode(whole.end()), want, `${name}: one chunk`);
    for (const size of [1, 2, 7, 64]) {
      const s = new PredictStream(m.linePredictor(), { k: 3, threshold: 0 });
      let out = '';
      for (let i = 0; i < input.length; i += size) out += dec.decode(s.push(input.subarray(i, i + size)));
      out += dec.decode(s.end());
      assert.equal(out, want, `${name}: chunks of ${size} bytes`);
    }
  }
});
