/**
 * The compact store against the model it came from: f32 gives the same neighbours, f16 and
 * int8 stay close (cosine of word vectors, recall@10 of neighbours); lazy and load-all reads
 * agree; stores answer predict like the model.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BinModel } from './bin-model.js';
import { convertToStore } from './convert.js';
import { openFastText } from './open.js';
import { halfToFloat, floatToHalf } from '../core/half.js';

const M = 'test/fixtures/fasttext/models';
const tmp = mkdtempSync(join(tmpdir(), 'leanml-ft-store-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 && bb === 0 ? 1 : ab / Math.sqrt(aa * bb);
}

test('f16 conversion round-trips representable values and rounds to nearest', () => {
  for (const x of [0, 1, -2, 0.5, 65504, 6.103515625e-5, 5.960464477539063e-8]) assert.equal(halfToFloat(floatToHalf(x)), x);
  assert.equal(halfToFloat(floatToHalf(1 + 1 / 4096)), 1); // below half an ulp
  assert.equal(halfToFloat(floatToHalf(1e6)), Infinity);
});

describe('compact store', () => {
  const words = ['license', 'software', 'freedoms', 'xyzzyq', 'für', 'поиск', 'programmers'];
  for (const dtype of ['f32', 'f16', 'int8'] as const) {
    test(`${dtype}: vectors, neighbours and recall against the .bin`, () => {
      const bin = BinModel.open(`${M}/skipgram.bin`);
      const out = join(tmp, `skipgram.${dtype}`);
      convertToStore(bin, out, { dtype });
      const store = openFastText(out);
      const loaded = openFastText(out, { loadAll: true });
      const minCos = dtype === 'f32' ? 0.999999 : dtype === 'f16' ? 0.9999 : 0.999;
      for (const w of words) {
        assert.ok(cosine(store.wordVector(w), bin.wordVector(w)) >= minCos, `${dtype} ${w}`);
        assert.deepEqual(store.wordVector(w), loaded.wordVector(w), 'lazy and load-all reads agree');
      }
      const queries = Array.from({ length: 200 }, (_, i) => bin.word((i * 7) % bin.nwords));
      const ref = bin.nearestNeighborsBatch(queries, 10);
      const got = store.nearestNeighborsBatch(queries, 10);
      let hits = 0;
      ref.forEach((r, i) => {
        const s = new Set(got[i]!.map((n) => n.word));
        for (const n of r) if (s.has(n.word)) hits++;
      });
      const recall = hits / (10 * queries.length);
      if (dtype === 'f32') assert.equal(recall, 1);
      else assert.ok(recall >= 0.95, `${dtype} recall@10 ${recall}`);
      const size = statSync(out).size;
      assert.ok(size < statSync(`${M}/skipgram.bin`).size * (dtype === 'f32' ? 1.2 : 0.7), `${dtype} store is ${size} bytes`);
      store.close();
      loaded.close();
      bin.close();
    });
  }

  test('.bin read on demand and loaded whole agree; a word vector is the mean of its n-gram rows', () => {
    const lazy = BinModel.open(`${M}/cbow.bin`);
    const whole = BinModel.open(`${M}/cbow.bin`, { loadAll: true });
    for (const w of words) assert.deepEqual(lazy.wordVector(w), whole.wordVector(w));
    const rows = lazy.ngramVectors('xyzzyq');
    const mean = new Float32Array(lazy.dim);
    for (const r of rows) for (let j = 0; j < mean.length; j++) mean[j]! += r.vector[j]!;
    for (let j = 0; j < mean.length; j++) mean[j] = Math.fround(mean[j]! * Math.fround(1 / rows.length));
    assert.deepEqual(lazy.wordVector('xyzzyq'), mean);
    lazy.close();
    whole.close();
  });

  test('int8 store predicts like the supervised model', () => {
    const bin = BinModel.open(`${M}/sup-softmax.bin`);
    const out = join(tmp, 'sup.int8');
    convertToStore(bin, out, { dtype: 'int8' });
    const store = openFastText(out);
    const lines = ['die datei wird gelesen und geschrieben', 'le fichier de configuration', 'поиск в именах справочных страниц'];
    for (const l of lines) assert.equal(store.predict(l, 1)[0]!.label, bin.predict(l, 1)[0]!.label, l);
    assert.equal(store.isSupervised, true);
    store.close();
    bin.close();
  });
});
