import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
const spans = (segs: { start: number; end: number }[]): number[][] => segs.map((s) => [Math.round(s.start * 1000) / 1000, Math.round(s.end * 1000) / 1000]);
import { columnScores, islandSmooth, medianSmooth, mergeSegments } from './segments.js';

describe('columnScores', () => {
  it('spreads each frame score over its columns and averages overlaps', () => {
    const s = columnScores(Float32Array.of(1, 3), Int32Array.of(0, 2), 4, 7);
    assert.deepEqual(Array.from(s.subarray(0, 6)), [1, 1, 2, 2, 3, 3]);
    assert.ok(Number.isNaN(s[6]!));
  });
});

describe('medianSmooth', () => {
  it('removes a one-column spike and keeps steps', () => {
    assert.deepEqual(Array.from(medianSmooth(Float32Array.of(0, 0, 5, 0, 0, 1, 1, 1), 3)), [0, 0, 0, 0, 0, 1, 1, 1]);
  });
});

describe('mergeSegments', () => {
  const opts = { threshold: 0.5, columnSeconds: 0.1 };
  it('turns runs above the threshold into segments with their mean score', () => {
    const segs = mergeSegments(Float32Array.of(0, 1, 1, 0, 0, 0, 0.8, 0), null, opts);
    assert.equal(segs.length, 2);
    assert.deepEqual(spans(segs), [
      [0.1, 0.3],
      [0.6, 0.7],
    ]);
    assert.equal(segs[0]!.score, 1);
  });
  it('fills gaps up to maxGap and drops segments shorter than minDuration', () => {
    const x = Float32Array.of(1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1);
    assert.equal(mergeSegments(x, null, { ...opts, maxGap: 0.2 }).length, 2);
    const merged = mergeSegments(x, null, { ...opts, maxGap: 0.2, minDuration: 0.2 });
    assert.deepEqual(spans(merged), [[0, 0.6]]);
  });
  it('respects the gate', () => {
    const segs = mergeSegments(Float32Array.of(1, 1, 1, 1), Uint8Array.of(1, 0, 1, 1), opts);
    assert.deepEqual(spans(segs), [
      [0, 0.1],
      [0.2, 0.4],
    ]);
  });
  it('property: segments are ordered, disjoint, inside the recording, above the threshold', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { maxLength: 200 }), fc.nat(5), (xs, gap) => {
        const segs = mergeSegments(Float32Array.from(xs), null, { threshold: 0, columnSeconds: 0.05, maxGap: gap * 0.05 });
        let last = -1;
        for (const s of segs) {
          assert.ok(s.start > last - 1e-9 && s.end > s.start && s.end <= xs.length * 0.05 + 1e-9);
          assert.ok(s.score > 0);
          last = s.end;
        }
      }),
    );
  });
});

describe('islandSmooth', () => {
  it('gives each short speech island its mean and leaves long ones and closed gate alone', () => {
    const x = Float32Array.of(9, 1, 3, 9, 5, 5, 5, 7, 9);
    const g = Uint8Array.of(0, 1, 1, 0, 1, 1, 1, 1, 0);
    assert.deepEqual(Array.from(islandSmooth(x, g, 3)), [9, 2, 2, 9, 5, 5, 5, 7, 9]);
  });
});
