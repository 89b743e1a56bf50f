/**
 * The inverted-file index of a store: exact search over an indexed store (nprobe 0, or every
 * list) gives the same neighbours as the unindexed store; word vectors survive the row
 * reordering; probing a few lists keeps recall high; lists partition the words; headers with a
 * bad index or an unknown version are refused, and version-3 stores still read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { convertToStore } from './convert.js';
import { listOrder } from './ivf-train.js';
import { openBin, openStore } from './open.js';
import type { StoreHeader } from './store-format.js';
import type { Neighbor } from './vector-model.js';

const M = 'test/fixtures/fasttext/models';
const tmp = mkdtempSync(join(tmpdir(), 'leanml-ft-ivf-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function recall(ref: Neighbor[][], got: Neighbor[][]): number {
  let hits = 0,
    n = 0;
  ref.forEach((r, i) => {
    const s = new Set(got[i]!.map((x) => x.word));
    for (const x of r) {
      n++;
      if (s.has(x.word)) hits++;
    }
  });
  return hits / n;
}

/** Rewrites a store's JSON header in place (the new JSON must not be longer). */
function patchHeader(path: string, out: string, edit: (h: StoreHeader, dv: DataView) => void): void {
  const b = new Uint8Array(readFileSync(path));
  const dv = new DataView(b.buffer);
  const len = dv.getUint32(12, true);
  const h = JSON.parse(Buffer.from(b.subarray(16, 16 + len)).toString());
  edit(h, dv);
  const json = Buffer.from(JSON.stringify(h));
  assert.ok(json.byteLength <= len);
  b.fill(0x20, 16, 16 + len);
  b.set(json, 16);
  dv.setUint32(12, json.byteLength, true);
  writeFileSync(out, b);
}

describe('store index', () => {
  const bin = openBin(`${M}/skipgram.bin`);
  after(() => bin.close());
  const queries = Array.from({ length: 300 }, (_, i) => bin.word((i * 7) % bin.nwords));
  queries.push('xyzzyq', 'freedomz', 'поиск');

  for (const dtype of ['f32', 'int8'] as const) {
    test(`${dtype}: exact search through the index equals the plain store; nprobe trades recall`, () => {
      const plainPath = join(tmp, `plain.${dtype}`),
        ivfPath = join(tmp, `ivf.${dtype}`);
      convertToStore(bin, plainPath, { dtype });
      const h = convertToStore(bin, ivfPath, { dtype, index: 'ivf', lists: 24 });
      assert.deepEqual(h.index, { kind: 'ivf', lists: 24 });
      const plain = openStore(plainPath),
        ivf = openStore(ivfPath, { nprobe: 0 });
      for (const w of ['license', 'software', 'xyzzyq']) assert.deepEqual(ivf.wordVector(w), plain.wordVector(w), w);
      for (const i of [0, 5, 100, bin.nwords - 1]) assert.deepEqual(ivf.normalizedWordVector(i), plain.normalizedWordVector(i));
      const ref = plain.nearestNeighborsBatch(queries, 10);
      const exact = ivf.nearestNeighborsBatch(queries, 10);
      ref.forEach((r, i) => {
        assert.deepEqual(
          exact[i]!.map((x) => x.score),
          r.map((x) => x.score),
          `scores of ${queries[i]}`,
        );
        // equal scores may come in another order: the rows are stored list by list
        assert.deepEqual(new Set(exact[i]!.map((x) => x.word)), new Set(r.map((x) => x.word)), `words of ${queries[i]}`);
      });
      ivf.nprobe = 24;
      assert.equal(recall(ref, ivf.nearestNeighborsBatch(queries, 10)), 1, 'probing every list is exact');
      const byProbe = [1, 4, 8].map((p) => {
        ivf.nprobe = p;
        const got = ivf.nearestNeighborsBatch(queries, 10);
        for (const r of got) for (let j = 1; j < r.length; j++) assert.ok(r[j - 1]!.score >= r[j]!.score, 'best first');
        return recall(ref, got);
      });
      assert.ok(byProbe[0]! < byProbe[2]! && byProbe[2]! >= 0.85, `recall by nprobe 1/4/8: ${byProbe}`);
      assert.equal(ivf.info().storeVersion, 4);
      assert.deepEqual(ivf.info().index, { kind: 'ivf', lists: 24 });
      assert.throws(() => (ivf.nprobe = -1), /nprobe must be 0/);
      plain.close();
      ivf.close();
    });
  }

  test('listOrder partitions the rows: lists in order, ids ascending within a list', () => {
    const assign = Int32Array.from([2, 0, 2, 1, 0, 2]);
    const { ids, positions, offsets } = listOrder(assign, 4);
    assert.deepEqual([...offsets], [0, 2, 3, 6, 6]);
    assert.deepEqual([...ids], [1, 4, 3, 0, 2, 5]);
    for (let p = 0; p < ids.length; p++) assert.equal(positions[ids[p]!], p);
  });

  test('convert refuses bad index options', () => {
    assert.throws(() => convertToStore(bin, join(tmp, 'x'), { index: 'ivf', lists: 0 }), /lists must be 1\.\./);
    assert.throws(() => convertToStore(bin, join(tmp, 'x'), { index: 'ivf', lists: bin.nwords + 1 }), /lists must be 1\.\./);
    assert.throws(() => convertToStore(bin, join(tmp, 'x'), { index: 'hnsw' as 'ivf' }), /index must be ivf or none/);
  });

  test('bad index headers and unknown versions are refused; version-3 stores read', () => {
    const src = join(tmp, 'ivf.small');
    convertToStore(bin, src, { dtype: 'int8', index: 'ivf', lists: 8 });
    const bad = join(tmp, 'bad');
    patchHeader(src, bad, (h) => {
      h.index!.lists = 9;
    });
    assert.throws(() => openStore(bad), /section 'ivfCentroids' has \d+ bytes, expected/);
    patchHeader(src, bad, (h) => {
      h.index = { kind: 'pq' as 'ivf', lists: 8 };
    });
    assert.throws(() => openStore(bad), /invalid index/);
    patchHeader(src, bad, (_h, dv) => dv.setUint32(8, 5, true));
    assert.throws(() => openStore(bad), /unsupported vector store version 5 at byte 8 \(this leanml reads 1, 2, 3, 4/);
    // list starts that do not cover the words
    const b = new Uint8Array(readFileSync(src));
    const h = JSON.parse(Buffer.from(b.subarray(16, 16 + new DataView(b.buffer).getUint32(12, true))).toString());
    new DataView(b.buffer).setInt32((h as StoreHeader).sections.ivfOffsets!.offset + 8 * 4, 5, true);
    writeFileSync(bad, b);
    assert.throws(() => openStore(bad), /index list starts run from 0 to 5, expected 0 to 2853/);
    // an unindexed version-4 store relabelled 3 reads as before
    const plain = join(tmp, 'plain.v4');
    convertToStore(bin, plain, { dtype: 'int8' });
    const v3 = join(tmp, 'plain.v3');
    patchHeader(plain, v3, (h, dv) => {
      for (const n of ['ivfCentroids', 'ivfOffsets', 'ivfIds', 'ivfPositions']) delete h.sections[n];
      dv.setUint32(8, 3, true);
    });
    const s3 = openStore(v3),
      s4 = openStore(plain);
    assert.equal(s3.info().storeVersion, 3);
    assert.deepEqual(s3.nearestNeighbors('license', 5), s4.nearestNeighbors('license', 5));
    // an index in a version-3 header is refused
    patchHeader(src, bad, (_h, dv) => dv.setUint32(8, 3, true));
    assert.throws(() => openStore(bad), /invalid index/);
    s3.close();
    s4.close();
  });
});
