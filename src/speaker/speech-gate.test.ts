import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dilateMask, SpeechGate } from './speech-gate.js';

describe('SpeechGate', () => {
  it('dilateMask widens set entries both ways', () => {
    assert.deepEqual(Array.from(dilateMask(Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 0), 2)), [0, 1, 1, 1, 1, 1, 0, 0]);
    assert.deepEqual(Array.from(dilateMask(Uint8Array.of(1, 0, 0), 0)), [1, 0, 0]);
  });
  it('opens on loud speech-band columns above a steady floor, in one streaming pass', () => {
    const centers = [100, 500, 1000, 3000, 8000]; // bins 1..3 are in the speech band
    const C = centers.length;
    const T = 40;
    const power = new Float32Array(C * T);
    for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) power[c * T + t] = 1e-6; // floor: room tone
    for (let t = 20; t < 30; t++) power[2 * T + t] = 1e-3; // 30 dB above it
    for (let t = 5; t < 10; t++) power[4 * T + t] = 1; // loud but above the speech band: hiss
    const gate = new SpeechGate(centers, 0.05, { marginDb: 8, minDb: -100 });
    const a = gate.push(power.slice(0, C * T), T);
    const expected = Array.from({ length: T }, (_, t) => (t >= 20 && t < 30 ? 1 : 0));
    assert.deepEqual(Array.from(a), expected);
  });
});
