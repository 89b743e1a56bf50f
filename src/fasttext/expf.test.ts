import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { expf, fmaExact, glibcExpf } from './expf.js';

// glibc 2.36 expf (FMA variant) on floats where (float)exp(x) differs, from test/fixtures/gen/fasttext/expf.c
const GOLDEN = new URL('../../test/fixtures/fasttext/expf.txt', import.meta.url);

function fromBits(hex: string): number {
  return new Float32Array(new Uint32Array([parseInt(hex, 16)]).buffer)[0]!;
}

test('expf: bit-identical to glibc on every golden float, including those a rounded Math.exp misses', () => {
  const lines = readFileSync(GOLDEN, 'utf8').trim().split('\n');
  assert.ok(lines.length > 3000, `only ${lines.length} golden values`);
  let naiveMisses = 0;
  for (const line of lines) {
    const [xs, ys] = line.split(' ') as [string, string];
    const x = fromBits(xs),
      want = fromBits(ys);
    const got = expf(x);
    assert.ok(Object.is(got, want), `expf(${x}) [${xs}] = ${got}, glibc gives ${want} [${ys}]`);
    if (x > -103 && x < 88) assert.ok(Object.is(glibcExpf(x), want), `glibcExpf(${x}) [${xs}] = ${glibcExpf(x)}, glibc gives ${want} [${ys}]`);
    if (Math.fround(Math.exp(x)) !== want) naiveMisses++;
  }
  assert.ok(naiveMisses > 1000, `the fixture should hold the hard cases (${naiveMisses})`);
});

test('expf: special values', () => {
  assert.equal(expf(0), 1);
  assert.equal(expf(-Infinity), 0);
  assert.equal(expf(Infinity), Infinity);
  assert.ok(Number.isNaN(expf(NaN)));
  assert.equal(expf(89), Infinity);
  assert.equal(expf(-104), 0);
});

test('fmaExact: one rounding where a * b + c has two', () => {
  const a = 1 + 2 ** -30,
    b = 1 - 2 ** -30;
  // a * b = 1 - 2^-60 exactly: rounds to 1 unfused, so only the fused form sees the -2^-60
  assert.equal(a * b - 1, 0);
  assert.equal(fmaExact(a, b, -1), -(2 ** -60));
  assert.equal(fmaExact(3, 5, 7), 22);
  assert.equal(fmaExact(0.1, 10, -1), 5.551115123125783e-17);
  assert.equal(fmaExact(-2, 2 ** -1074 * 2 ** 600, 0), -(2 ** -473));
  // ties to even: 1 + 2^-53 (exact) rounds to 1, 1 + 3 * 2^-53 to 1 + 2^-51
  assert.equal(fmaExact(2 ** -27, 2 ** -26, 1), 1);
  assert.equal(fmaExact(3 * 2 ** -27, 2 ** -26, 1), 1 + 2 ** -51);
});
