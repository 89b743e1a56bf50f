/**
 * @module
 * `expectClose`: elementwise comparison of numeric arrays with absolute and relative
 * tolerance, reporting the worst index. NaN matches only NaN and an infinity only the same
 * infinity.
 */
import assert from 'node:assert/strict';

/** Tolerance for float32 kernels compared with a float32 reference. */
export const F32_TOL = { atol: 1e-5, rtol: 1e-5 };

export interface Tolerance {
  atol?: number;
  rtol?: number;
}

/** Asserts `|actual - expected| <= atol + rtol * |expected|` everywhere. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = F32_TOL, what = 'values'): void {
  const atol = tol.atol ?? 0;
  const rtol = tol.rtol ?? 0;
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} but expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  let failures = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) {
        failures++;
        if (worst < 0) worst = i;
        worstExcess = Infinity;
      }
      continue;
    }
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0)) {
      failures++;
      const ex = Number.isNaN(excess) ? Infinity : excess;
      if (worst < 0 || ex > worstExcess) {
        worst = i;
        worstExcess = ex;
      }
    }
  }
  if (failures > 0) {
    assert.fail(
      `${what}: ${failures} of ${expected.length} differ beyond atol=${atol}, rtol=${rtol}; worst at index ${worst}: ` +
        `got ${actual[worst]}, expected ${expected[worst]} (|diff| = ${Math.abs(actual[worst]! - expected[worst]!)})`,
    );
  }
}
