/**
 * What every model offers through VectorModel, checked on the golden models: analogies are
 * a - b + c (fastText's order), predict and predictBatch agree, k and model-kind errors, and
 * sentence vectors of supervised models are the mean predict uses.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { UsageError } from '../core/errors.js';
import type { BinModel } from './bin-model.js';
import { openBin } from './open.js';
import { normF32 } from './matrix.js';
import { checkPredictK } from './vector-model.js';

const FX = 'test/fixtures/fasttext/models';
const opened: BinModel[] = [];
after(() => opened.forEach((m) => m.close()));
function open(name: string): BinModel {
  const m = openBin(`${FX}/${name}`);
  opened.push(m);
  return m;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i]! * b[i]!;
  return d / (normF32(a) * normF32(b));
}

test('analogies(a, b, c) ranks words by closeness to a - b + c, not b - a + c', () => {
  const m = open('cbow.bin');
  const [a, b, c] = ['software', 'free', 'program'];
  const unit = (w: string) => {
    const v = m.wordVector(w);
    const n = normF32(v) + 1e-8;
    return v.map((x) => x / n);
  };
  const q = unit(a).map((x, i) => x - unit(b)[i]! + unit(c)[i]!);
  const swapped = unit(b).map((x, i) => x - unit(a)[i]! + unit(c)[i]!);
  const got = m.analogies(a, b, c, 5);
  assert.equal(got.length, 5);
  for (const n of got) {
    assert.ok(![a, b, c].includes(n.word), `${n.word} is a query word`);
    assert.ok(Math.abs(n.score - cosine(q, m.normalizedWordVector(m.dict.id(n.bytes)))) < 1e-5, `${n.word}: score is the cosine to a - b + c`);
  }
  const other = m.analogies(b, a, c, 5);
  assert.notDeepEqual(
    other.map((n) => n.word),
    got.map((n) => n.word),
  );
  assert.ok(Math.abs(other[0]!.score - cosine(swapped, m.normalizedWordVector(m.dict.id(other[0]!.bytes)))) < 1e-5);
});

test('predict: k = -1 is every label, k = 0 or fractional is a usage error, unsupervised models refuse', () => {
  assert.equal(checkPredictK(-1, 7), 7);
  assert.equal(checkPredictK(3, 7), 3);
  assert.throws(
    () => checkPredictK(0, 7),
    (e: Error) => e instanceof UsageError && /k must be 1 or higher/.test(e.message),
  );
  assert.throws(() => checkPredictK(1.5, 7), UsageError);
  const sup = open('sup-softmax.bin');
  assert.equal(sup.predict('der die das', -1).length, sup.nlabels);
  // hierarchical softmax never reaches leaves below log(1e-5), as the C++ search
  const hs = open('sup-hs.bin');
  assert.ok(hs.predict('der die das', -1).length <= hs.nlabels);
  const probs = sup.predict('der die das', -1).map((p) => p.prob);
  assert.deepEqual(
    probs,
    [...probs].sort((x, y) => y - x),
    'best first',
  );
  assert.throws(() => open('cbow.bin').predict('hello'), /needs a supervised model, but this one is cbow/);
  assert.throws(() => open('cbow.bin').predictBatch(['hello']), UsageError);
});

test('predict: threshold drops labels below it; an empty line without newline has no rows', () => {
  const m = open('sup-softmax.bin');
  const all = m.predict('the licence of the software', -1);
  const kept = m.predict('the licence of the software', -1, 0.1);
  assert.deepEqual(
    kept,
    all.filter((p) => p.prob >= Math.fround(0.1)),
  );
  assert.deepEqual(m.predict('', 3, 0, { eos: false }), []);
  assert.equal(m.predict('', 1, 0, { eos: true }).length, 1, '</s> alone still predicts');
});

test('sentenceVector of a supervised model is the hidden vector predict scores', () => {
  const m = open('sup-ova.bin');
  const text = 'the quick brown fox über die brücke';
  const v = m.sentenceVector(text);
  assert.equal(v.length, m.dim);
  assert.ok(normF32(v) > 0);
  // the same line predicted twice, through the batch, gives the same labels
  assert.deepEqual(m.predictBatch([text, text], 3), [m.predict(text, 3), m.predict(text, 3)]);
  assert.notDeepEqual(m.sentenceVector(text, { eos: false }), v, '</s> is part of the line');
});

test('has, word and labels read the dictionary', () => {
  const m = open('sup-hs.bin');
  assert.equal(m.labels().length, m.nlabels);
  assert.ok(m.labels().every((l) => l.startsWith('__label__')));
  assert.ok(m.has(m.word(0)));
  assert.ok(!m.has(m.labels()[0]!), 'labels are not words');
  assert.ok(!m.has('zzqqxxyy'));
});
