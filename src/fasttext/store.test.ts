/**
 * The compact store against the model it came from: f32 gives the same neighbours, f16 and
 * int8 stay close (cosine of word vectors, recall@10 of neighbours); lazy and load-all reads
 * agree; stores answer predict like the model; int8 stores rescore with their residual and
 * version-1 stores (no residual) still read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openBin } from './open.js';
import { convertToStore, encodeRows } from './convert.js';
import { decodeRow, RESIDUAL_STEPS } from './word-search.js';
import { Rng } from '../core/rng.js';
import { openFastText } from './open.js';
import { halfToFloat, floatToHalf } from '../core/half.js';

const M = 'test/fixtures/fasttext/models';
const tmp = mkdtempSync(join(tmpdir(), 'leanml-ft-store-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 && bb === 0 ? 1 : ab / Math.sqrt(aa * bb);
}

test('f16 conversion round-trips representable values and rounds to nearest', () => {
  for (const x of [0, 1, -2, 0.5, 65504, 6.103515625e-5, 2 ** -24]) assert.equal(halfToFloat(floatToHalf(x)), x);
  assert.equal(halfToFloat(floatToHalf(1 + 1 / 4096)), 1); // below half an ulp
  assert.equal(halfToFloat(floatToHalf(1e6)), Infinity);
});

describe('compact store', () => {
  const words = ['license', 'software', 'freedoms', 'xyzzyq', 'für', 'поиск', 'programmers'];
  for (const dtype of ['f32', 'f16', 'int8'] as const) {
    test(`${dtype}: vectors, neighbours and recall against the .bin`, () => {
      const bin = openBin(`${M}/skipgram.bin`);
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
      else assert.ok(recall >= 0.99, `${dtype} recall@10 ${recall}`);
      const size = statSync(out).size;
      assert.ok(size < statSync(`${M}/skipgram.bin`).size * (dtype === 'f32' ? 1.2 : 0.7), `${dtype} store is ${size} bytes`);
      store.close();
      loaded.close();
      bin.close();
    });
  }

  test('.bin read on demand and loaded whole agree; a word vector is the mean of its n-gram rows', () => {
    const lazy = openBin(`${M}/cbow.bin`);
    const whole = openBin(`${M}/cbow.bin`, { loadAll: true });
    for (const w of words) assert.deepEqual(lazy.wordVector(w), whole.wordVector(w));
    const rows = lazy.ngramVectors('xyzzyq');
    const mean = new Float32Array(lazy.dim);
    for (const r of rows) for (let j = 0; j < mean.length; j++) mean[j]! += r.vector[j]!;
    for (let j = 0; j < mean.length; j++) mean[j] = Math.fround(mean[j]! * Math.fround(1 / rows.length));
    assert.deepEqual(lazy.wordVector('xyzzyq'), mean);
    lazy.close();
    whole.close();
  });

  test('int8 rows with their 4-bit residual are within scale / 28 of the input', () => {
    const rng = new Rng(3);
    const rows = 50,
      dim = 37;
    const src = new Float32Array(rows * dim).map(() => rng.normal() * (1 + rng.int(4)));
    const enc = encodeRows(src, rows, dim, 'int8', { residual: true });
    assert.equal(enc.residual!.byteLength, rows * 19);
    const m = { rows, dim, dtype: 'int8' as const, data: new Int8Array(enc.data.buffer), scales: enc.scales };
    const coarse = new Float32Array(dim),
      fine = new Float32Array(dim);
    let coarseErr = 0,
      fineErr = 0;
    for (let r = 0; r < rows; r++) {
      decodeRow(m, r, coarse);
      decodeRow({ ...m, residual: enc.residual }, r, fine);
      const s = enc.scales![r]!;
      for (let j = 0; j < dim; j++) {
        const x = src[r * dim + j]!;
        assert.ok(Math.abs(fine[j]! - x) <= s / (2 * RESIDUAL_STEPS) + 1e-6 * s, `row ${r} dim ${j}: ${fine[j]} vs ${x}`);
        coarseErr += (coarse[j]! - x) ** 2;
        fineErr += (fine[j]! - x) ** 2;
      }
    }
    assert.ok(fineErr < coarseErr / 100, `residual cuts the squared error: ${fineErr} vs ${coarseErr}`);
  });

  test('version-1 int8 stores (no residual, no mean) still read; their search is single-stage', () => {
    const bin = openBin(`${M}/skipgram.bin`);
    const plain = join(tmp, 'skipgram.plain.int8');
    convertToStore(bin, plain, { dtype: 'int8', refine: false });
    const v2 = join(tmp, 'skipgram.v3.int8');
    convertToStore(bin, v2, { dtype: 'int8' });
    // rewrite as version 1: same sections, minus the residual, version field 1
    const b = new Uint8Array(readFileSync(plain));
    const dv = new DataView(b.buffer);
    const len = dv.getUint32(12, true);
    const h = JSON.parse(Buffer.from(b.subarray(16, 16 + len)).toString());
    assert.equal(h.sections.wordResiduals.length + h.sections.wordMean.length, 0);
    delete h.sections.wordResiduals;
    delete h.sections.wordMean;
    const json = Buffer.from(JSON.stringify(h));
    assert.ok(json.byteLength <= len);
    b.fill(0x20, 16, 16 + len);
    b.set(json, 16);
    dv.setUint32(8, 1, true);
    dv.setUint32(12, json.byteLength, true);
    const v1 = join(tmp, 'skipgram.v1.int8');
    writeFileSync(v1, b);
    const s1 = openFastText(v1),
      s2 = openFastText(v2);
    assert.equal(s1.info().storeVersion, 1);
    assert.equal(s1.info().residualBits, 0);
    assert.equal(s2.info().storeVersion, 4);
    assert.equal(s2.info().residualBits, 4);
    assert.equal(s2.info().centred, true);
    const queries = Array.from({ length: 100 }, (_, i) => bin.word((i * 13) % bin.nwords));
    const ref = bin.nearestNeighborsBatch(queries, 10);
    const recall = (m: typeof s1) => {
      let hits = 0;
      m.nearestNeighborsBatch(queries, 10).forEach((r, i) => {
        const s = new Set(r.map((n) => n.word));
        for (const n of ref[i]!) if (s.has(n.word)) hits++;
      });
      return hits / (10 * queries.length);
    };
    const r1 = recall(s1),
      r2 = recall(s2);
    assert.ok(r1 >= 0.9 && r2 >= 0.99 && r2 > r1, `v1 recall ${r1}, v2 recall ${r2}`);
    for (const w of ['license', 'xyzzyq']) assert.ok(cosine(s1.wordVector(w), bin.wordVector(w)) >= 0.999);
    s1.close();
    s2.close();
    bin.close();
  });

  test('int8 store predicts like the supervised model', () => {
    const bin = openBin(`${M}/sup-softmax.bin`);
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
