import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { warpEnvelope } from './trainer.js';

describe('warpEnvelope (envelope impostors)', () => {
  const C = 64;
  const argmax = (x: Float32Array): number => x.indexOf(Math.max(...x));

  it('keeps the fine structure: a comb on a flat envelope comes back unchanged', () => {
    const col = Float32Array.from({ length: C }, (_, c) => 3 + (c % 2 ? 1 : -1));
    const out = new Float32Array(C);
    warpEnvelope(col, 1.2, out);
    // away from the edges the 5-bin mean of the comb is flat (3 ± 0.2), so only that ripple moves
    for (let c = 4; c < C - 4; c++) assert.ok(Math.abs(out[c]! - col[c]!) < 0.5, `bin ${c}: ${out[c]} vs ${col[c]}`);
  });

  it('moves a formant-like bump to factor x its bin, with the comb on top left in place', () => {
    const bump = (c: number, at: number): number => 10 * Math.exp(-((c - at) ** 2) / (2 * 4 ** 2));
    const col = Float32Array.from({ length: C }, (_, c) => bump(c, 24) + (c % 2 ? 0.5 : -0.5));
    for (const f of [0.8, 1.25]) {
      const out = new Float32Array(C);
      warpEnvelope(col, f, out);
      const env = Float32Array.from(out, (v, c) => v - (c % 2 ? 0.5 : -0.5));
      assert.ok(Math.abs(argmax(env) - 24 * f) <= 1, `factor ${f}: peak at ${argmax(env)}, expected ${24 * f}`);
      assert.ok(Math.abs(argmax(col) - 24) <= 1);
    }
  });

  it('factor 1 is the identity', () => {
    const col = Float32Array.from({ length: C }, (_, c) => Math.sin(c) * 5 + c / 10);
    const out = new Float32Array(C);
    warpEnvelope(col, 1, out);
    for (let c = 0; c < C; c++) assert.ok(Math.abs(out[c]! - col[c]!) < 1e-5);
  });
});
