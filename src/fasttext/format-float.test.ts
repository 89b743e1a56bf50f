import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatG, writeG } from './format-float.js';

const dec = new TextDecoder();

test('writeG writes the bytes of formatG (two routes, one answer), ties and exponents included', () => {
  const out = new Uint8Array(64);
  const check = (x: number, p: number) => assert.equal(dec.decode(out.subarray(0, writeG(x, p, out, 0))), formatG(x, p), `${x} at ${p}`);
  for (const x of [0, -0, 1, 0.5, 2 ** -10, 1e-5, 0.0001, 123456.5, 1234567, 1e21, -3.5e-7, 99999.95, 9.999995, NaN, Infinity, 2 ** -149]) {
    for (const p of [1, 5, 6]) check(x, p);
  }
  fc.assert(
    fc.property(fc.float({ noNaN: true }), fc.integer({ min: 1, max: 9 }), (x, p) => check(x, p)),
    { numRuns: 20000 },
  );
  // glibc rounds exact ties to even: 2^-10 = 0.0009765625
  assert.equal(formatG(2 ** -10, 6), '0.000976562');
});
