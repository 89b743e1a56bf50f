import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameMetrics, rasterize } from './metrics.js';

describe('frameMetrics', () => {
  it('rasterises at 10 ms by frame centres', () => {
    // centres at 5, 15, 25, 35, 45 ms
    assert.deepEqual(Array.from(rasterize([{ start: 0.014, end: 0.036 }], 5)), [0, 1, 1, 1, 0]);
    assert.deepEqual(Array.from(rasterize([{ start: 0.016, end: 0.034 }], 5)), [0, 0, 1, 0, 0]);
  });
  it('counts hits, misses and false alarms in seconds', () => {
    const m = frameMetrics([{ start: 1, end: 3 }], [{ start: 2, end: 4 }], 10);
    assert.ok(Math.abs(m.precision - 0.5) < 1e-9 && Math.abs(m.recall - 0.5) < 1e-9 && Math.abs(m.f1 - 0.5) < 1e-9);
    assert.ok(Math.abs(m.missedSeconds - 1) < 1e-9 && Math.abs(m.falseAlarmSeconds - 1) < 1e-9);
    assert.ok(Math.abs(m.detectionErrorRate - 1) < 1e-9);
    const perfect = frameMetrics([{ start: 2, end: 4 }], [{ start: 2, end: 4 }], 10);
    assert.equal(perfect.f1, 1);
    assert.equal(perfect.detectionErrorRate, 0);
  });
});
