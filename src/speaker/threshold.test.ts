import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../core/rng.js';
import { UsageError } from '../core/errors.js';
import { bestF1Threshold, equalErrorThreshold, falseAlarmThreshold, gaussianEqualErrorThreshold, missRate, type ScoredBroadcast } from './threshold.js';

describe('equalErrorThreshold', () => {
  it('separable scores: zero error, threshold between the classes', () => {
    const r = equalErrorThreshold([0.8, 0.9, 0.95], [0.1, 0.2, 0.5]);
    assert.equal(r.eer, 0);
    assert.ok(r.threshold > 0.5 && r.threshold < 0.8, String(r.threshold));
  });
  it('two overlapping normals with equal spread: threshold near the midpoint, EER near Φ(-d/2)', () => {
    const rng = new Rng(3);
    const t = Array.from({ length: 20000 }, () => 1 + rng.normal());
    const n = Array.from({ length: 20000 }, () => -1 + rng.normal());
    const r = equalErrorThreshold(t, n);
    assert.ok(Math.abs(r.threshold) < 0.05, String(r.threshold));
    assert.ok(Math.abs(r.eer - 0.1587) < 0.01, String(r.eer)); // Φ(-1)
  });
  it('miss and false-alarm rates are equal at the threshold (up to one sample)', () => {
    const rng = new Rng(4);
    const t = Array.from({ length: 301 }, () => 0.5 + 0.3 * rng.normal());
    const n = Array.from({ length: 777 }, () => 0.1 + 0.2 * rng.normal());
    const { threshold } = equalErrorThreshold(t, n);
    const miss = t.filter((s) => s <= threshold).length / t.length;
    const fa = n.filter((s) => s > threshold).length / n.length;
    assert.ok(Math.abs(miss - fa) <= 1 / 301 + 1 / 777, `${miss} vs ${fa}`);
  });
  it('needs both classes', () => {
    assert.throws(() => equalErrorThreshold([], [1]), UsageError);
  });

  it('normal fits: agrees with the empirical point on normal scores and stays between separable classes', () => {
    const rng = new Rng(5);
    const t = Array.from({ length: 20000 }, () => 2 + 0.5 * rng.normal());
    const n = Array.from({ length: 20000 }, () => -1 + rng.normal());
    const g = gaussianEqualErrorThreshold(t, n);
    const e = equalErrorThreshold(t, n);
    assert.ok(Math.abs(g.threshold - e.threshold) < 0.03, `${g.threshold} vs ${e.threshold}`);
    assert.ok(Math.abs(g.threshold - 1) < 0.03 && Math.abs(g.eer - 0.0228) < 0.002, JSON.stringify(g)); // (2·1 + -1·0.5)/1.5 = 1, Φ(-2)
    const sep = gaussianEqualErrorThreshold([0.97, 0.99, 1], [0.1, 0.3, 0.2, 0.5]);
    assert.ok(sep.threshold > 0.5 && sep.threshold < 0.97, String(sep.threshold));
  });
});

describe('falseAlarmThreshold and missRate', () => {
  it('at most the given share of non-targets scores above the threshold', () => {
    const n = Array.from({ length: 200 }, (_, i) => i / 200);
    const t = falseAlarmThreshold(n, 0.01);
    assert.equal(n.filter((s) => s > t).length, 2);
    assert.equal(falseAlarmThreshold(n, 0), 199 / 200);
    assert.equal(missRate([0.1, 0.5, 0.9, 1], 0.5), 0.5);
    assert.throws(() => falseAlarmThreshold([], 0.01), UsageError);
    assert.throws(() => falseAlarmThreshold(n, 1), UsageError);
  });
});

describe('bestF1Threshold', () => {
  const col = 0.05;
  /** A broadcast from runs of [columns, score, isTarget]; the gate is open everywhere. */
  const broadcast = (runs: [number, number, number][]): ScoredBroadcast => {
    const scores: number[] = [];
    const isTarget: number[] = [];
    for (const [n, s, t] of runs)
      for (let i = 0; i < n; i++) {
        scores.push(s);
        isTarget.push(t);
      }
    return { scores: Float32Array.from(scores), gate: new Uint8Array(scores.length).fill(1), isTarget: Uint8Array.from(isTarget), columnSeconds: col };
  };

  it('takes the middle of the range where detection is perfect, not an end of it', () => {
    // other speakers at 0-0.2, music at 0.3-0.5, the target at 0.8-1.0: every threshold in [0.5, 0.8) is perfect
    const rng = new Rng(6);
    const runs: [number, number, number][] = [];
    for (let i = 0; i < 60; i++) runs.push([4, 0.2 * rng.next(), 0], [4, 0.3 + 0.2 * rng.next(), 0], [4, 0.8 + 0.2 * rng.next(), 1]);
    const r = bestF1Threshold([broadcast(runs)], { maxGap: 0, minDuration: 0 });
    assert.equal(r.f1, 1);
    assert.ok(r.range[0] < 0.5 && r.range[0] > 0.49 && r.range[1] >= 0.8 && r.range[1] < 0.81, JSON.stringify(r.range));
    assert.ok(Math.abs(r.threshold - 0.65) < 0.01, String(r.threshold));
  });

  it('decides on segments as detect does: gap filling counts the filled columns', () => {
    // two target runs 0.4 s apart around a 0.4 s non-target dip; filling the gap costs 8 false-alarm columns
    const b = broadcast([
      [20, 0, 0],
      [30, 0.9, 1],
      [8, 0.3, 0],
      [30, 0.9, 1],
      [20, 0, 0],
    ]);
    const noFill = bestF1Threshold([b], { maxGap: 0, minDuration: 0 });
    assert.equal(noFill.f1, 1);
    const fill = bestF1Threshold([b], { maxGap: 0.5, minDuration: 0 });
    assert.ok(Math.abs(fill.f1 - 120 / 128) < 1e-9, String(fill.f1)); // 2·60 / (2·60 + 8)
  });

  it('pools several broadcasts and refuses one without a target column', () => {
    const a = broadcast([
      [50, 0.2, 0],
      [50, 0.8, 1],
    ]);
    const c = broadcast([
      [50, 0.6, 0],
      [50, 0.95, 1],
    ]);
    const r = bestF1Threshold([a, c], { maxGap: 0, minDuration: 0 });
    assert.equal(r.f1, 1);
    assert.ok(r.threshold >= 0.6 && r.threshold < 0.8, String(r.threshold));
    assert.throws(() => bestF1Threshold([broadcast([[10, 0.5, 0]])], { maxGap: 0, minDuration: 0 }), UsageError);
  });
});
