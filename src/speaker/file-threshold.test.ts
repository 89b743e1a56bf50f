import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../core/rng.js';
import { crossingPoint, DEFAULT_FILE_CALIBRATION, fileThreshold, fitTwoNormals } from './file-threshold.js';

/** Column scores: `nLow` non-target around `mLow`, `nHigh` target around `mHigh`, all gated open. */
function curve(rng: Rng, nLow: number, mLow: number, nHigh: number, mHigh: number, sd = 0.05): { scores: Float32Array; gate: Uint8Array } {
  const scores = new Float32Array(nLow + nHigh);
  for (let i = 0; i < nLow; i++) scores[i] = mLow + sd * rng.normal();
  for (let i = 0; i < nHigh; i++) scores[nLow + i] = mHigh + sd * rng.normal();
  return { scores, gate: new Uint8Array(scores.length).fill(1) };
}

describe('fileThreshold', () => {
  it('recovers the two components of a mixture', () => {
    const { scores } = curve(new Rng(1), 3000, 0.3, 1000, 0.8);
    const m = fitTwoNormals(Float64Array.from(scores))!;
    assert.ok(Math.abs(m.mean[0] - 0.3) < 0.01 && Math.abs(m.mean[1] - 0.8) < 0.01, JSON.stringify(m));
    assert.ok(Math.abs(m.weight[1] - 0.25) < 0.02, JSON.stringify(m));
    // equal spreads: the crossing sits between the means, nearer the lighter component
    const x = crossingPoint(m);
    assert.ok(x > 0.55 && x < 0.6, String(x));
  });

  it('moves the threshold down when the target scores low (a bed, another channel)', () => {
    const { scores, gate } = curve(new Rng(2), 3000, 0.25, 1200, 0.64);
    const t = fileThreshold(scores, gate, 0.7);
    assert.equal(t.calibrated, true, t.reason);
    assert.ok(t.threshold < 0.6 && t.threshold >= DEFAULT_FILE_CALIBRATION.lowest, String(t.threshold));
  });

  it('keeps the model threshold on a file without the target (one population)', () => {
    const { scores, gate } = curve(new Rng(3), 4000, 0.3, 0, 0, 0.08);
    const t = fileThreshold(scores, gate, 0.7);
    assert.equal(t.calibrated, false);
    assert.equal(t.threshold, 0.7);
  });

  it('keeps the model threshold when the upper population is too low to be the target', () => {
    const { scores, gate } = curve(new Rng(4), 3000, 0.1, 1000, 0.45);
    const t = fileThreshold(scores, gate, 0.7);
    assert.equal(t.calibrated, false, t.reason);
    assert.match(t.reason, /too low/);
  });

  it('ignores closed-gate and NaN columns, and clamps to the allowed range', () => {
    const { scores, gate } = curve(new Rng(5), 2000, 0.5, 2000, 0.97, 0.02);
    for (let i = 0; i < 500; i++) {
      scores[i] = Number.NaN;
    }
    for (let i = 500; i < 1000; i++) {
      scores[i] = 0.99;
      gate[i] = 0;
    }
    const t = fileThreshold(scores, gate, 0.7);
    assert.equal(t.calibrated, true, t.reason);
    assert.ok(t.threshold <= DEFAULT_FILE_CALIBRATION.highest, String(t.threshold));
    assert.equal(fileThreshold(new Float32Array(5), new Uint8Array(5).fill(1), 0.7).calibrated, false);
  });
});
