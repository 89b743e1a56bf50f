import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = new Rng(1),
      b = new Rng(1),
      c = new Rng(2);
    const xa = Array.from({ length: 5 }, () => a.nextU32());
    assert.deepEqual(
      xa,
      Array.from({ length: 5 }, () => b.nextU32()),
    );
    assert.notDeepEqual(
      xa,
      Array.from({ length: 5 }, () => c.nextU32()),
    );
  });

  it('has the moments of its distributions', () => {
    const r = new Rng(3);
    const n = 200_000;
    let su = 0,
      sn = 0,
      sn2 = 0;
    const counts = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      su += r.next();
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      counts[r.int(10)]++;
    }
    assert.ok(Math.abs(su / n - 0.5) < 0.005);
    assert.ok(Math.abs(sn / n) < 0.01);
    assert.ok(Math.abs(sn2 / n - 1) < 0.02);
    for (const c of counts) assert.ok(Math.abs(c / n - 0.1) < 0.005);
  });

  it('shuffles into a permutation', () => {
    const a = Array.from({ length: 100 }, (_, i) => i);
    new Rng(5).shuffle(a);
    assert.notDeepEqual(
      a,
      [...a].sort((x, y) => x - y),
    );
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i),
    );
  });
});
