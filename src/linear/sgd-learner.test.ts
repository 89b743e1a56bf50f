import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expectClose } from '../../test/helpers/expect-close.js';
import { logisticFlow, SgdLearner, type LearnerOptions } from './sgd-learner.js';
import { trainLinear } from './train-linear.js';

const FIXTURES = new URL('../../test/fixtures/linear/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('sgd-reference.json', FIXTURES), 'utf8')) as {
  cases: { loss: 'hinge' | 'logistic'; epochs: number; alpha: number; eta0: number; weights: Record<string, number> }[];
};

// float32 weights against scikit-learn's float64 after up to 180 updates: rounding accumulates
const SKLEARN_TOL = { atol: 2e-5, rtol: 1e-5 };

describe('SGD against scikit-learn SGDClassifier (plain SGD settings)', () => {
  // aligned: learning_rate='constant' eta0 = our learningRate with powerT 0; alpha = our l2 (lazy
  // scale, shrink before the step, margin taken before it, as sklearn); fit_intercept=False = no bias;
  // shuffle=False = file order; max_iter = passes; raw values (no unit norm), plain steps
  // (not adaptive, not invariant)
  for (const c of reference.cases) {
    it(`${c.loss}, ${c.epochs} epoch(s), alpha ${c.alpha}`, async () => {
      const { model } = await trainLinear(new URL('sgd-tiny.svm', FIXTURES).pathname, {
        format: 'libsvm',
        passes: c.epochs,
        features: { mode: 'lookup', bias: false, unitNorm: false },
        learner: { loss: c.loss, learningRate: c.eta0, powerT: 0, l2: c.alpha, adaptive: false, normalized: false, invariant: false, average: false },
      });
      assert.deepEqual(model.labels, ['-1', '1']);
      assert.equal(model.labels[model.positive], '1');
      const w = model.learner.predictionWeights(0);
      const names = Object.keys(c.weights);
      const ours = names.map((name) => w[model.encoder.lookup!.findString(name)]!);
      expectClose(
        ours,
        names.map((n) => c.weights[n]!),
        SKLEARN_TOL,
        `weights (${c.loss})`,
      );
    });
  }
});

const base: LearnerOptions = { loss: 'hinge', learningRate: 0.5, powerT: 0.5, l2: 0, adaptive: true, normalized: false, invariant: true, average: false };

describe('SgdLearner', () => {
  it('invariant hinge updates never move the margin past 1, whatever the importance', () => {
    const L = new SgdLearner({ ...base, learningRate: 100 }, 1, 16);
    const idx = Int32Array.of(1, 3, 5);
    const val = Float32Array.of(1, 2, -0.5);
    for (const importance of [1, 10, 1000]) {
      L.learn(idx, val, 3, 0, importance);
      const m = L.margin(0, idx, val, 3);
      assert.ok(m <= 1 + 1e-6, `margin ${m}`);
      assert.ok(m > 0.999, `margin ${m} should reach 1`);
    }
    // a second identical example is then already at the margin: no change
    const before = L.field(0, 0, 16);
    L.learn(idx, val, 3, 0, 1);
    expectClose(L.field(0, 0, 16), before, { atol: 1e-7 });
  });

  it('the logistic flow solves m + e^m = m0 + e^m0 + c', () => {
    for (const [m0, c] of [
      [0, 1],
      [-5, 0.1],
      [3, 10],
      [-30, 2],
      [20, 1],
    ] as const) {
      const m = logisticFlow(m0, c);
      expectClose([m + Math.exp(m)], [m0 + Math.exp(m0) + c], { rtol: 1e-9, atol: 1e-9 }, `m0=${m0} c=${c}`);
    }
  });

  it('lazy L2 through the scale equals shrinking every weight each step', () => {
    const o: LearnerOptions = { ...base, adaptive: false, invariant: false, powerT: 0, learningRate: 0.1, l2: 0.05 };
    const L = new SgdLearner(o, 1, 8);
    const eager = new Float64Array(8);
    const examples: [number[], number[], number][] = [
      [[0, 2], [1, -1], 0],
      [[1, 2, 5], [0.5, 1, 2], 1],
      [[0, 7], [-1, 1], 0],
      [[3], [2], 1],
    ];
    for (let rep = 0; rep < 30; rep++) {
      for (const [ids, vals, pos] of examples) {
        const idx = Int32Array.from(ids);
        const val = Float32Array.from(vals);
        const y = pos === 0 ? 1 : -1;
        let p = 0;
        for (let i = 0; i < ids.length; i++) p += eager[ids[i]!]! * vals[i]!;
        for (let j = 0; j < 8; j++) eager[j]! *= 1 - 0.1 * 0.05;
        if (y * p <= 1) for (let i = 0; i < ids.length; i++) eager[ids[i]!]! += 0.1 * y * vals[i]!;
        L.learn(idx, val, ids.length, pos, 1);
      }
    }
    expectClose(L.predictionWeights(0), eager, { atol: 1e-5, rtol: 1e-4 });
  });

  it('averaged weights equal the mean of the weights after each step', () => {
    const L = new SgdLearner({ ...base, average: true, l2: 0.01 }, 1, 6);
    const sum = new Float64Array(6);
    const rows: [number[], number[], number][] = [
      [[0, 1], [1, 1], 0],
      [[1, 2], [1, -1], 1],
      [[3, 4, 5], [0.3, 1, 2], 0],
      [[0, 5], [1, -2], 1],
    ];
    let steps = 0;
    for (let rep = 0; rep < 10; rep++) {
      for (const [ids, vals, pos] of rows) {
        L.learn(Int32Array.from(ids), Float32Array.from(vals), ids.length, pos, 1);
        const w = L.field(0, 0, 6);
        for (let j = 0; j < 6; j++) sum[j]! += w[j]! * L.counters.scale;
        steps++;
      }
    }
    expectClose(
      L.predictionWeights(0),
      Array.from(sum, (s) => s / steps),
      { atol: 1e-5, rtol: 1e-4 },
    );
  });
});

describe('fused default path (one vector, hinge, AdaGrad, invariant)', () => {
  it('makes exactly the updates of the general path', () => {
    // averaging sends the same updates through the general path (it only adds the avg
    // corrections), so the raw [w, g] state must agree bit for bit
    const fused = new SgdLearner(base, 1, 64);
    const general = new SgdLearner({ ...base, average: true }, 1, 64);
    let seed = 7;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const idx = new Int32Array(8);
    const val = new Float32Array(8);
    let updates = 0;
    for (let t = 0; t < 500; t++) {
      const n = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < n; i++) {
        idx[i] = (i * 8 + Math.floor(rand() * 8)) % 64;
        val[i] = rand() * 2 - 0.5;
      }
      const y = rand() < 0.5 ? 0 : 1;
      const importance = rand() < 0.2 ? 2.5 : 1;
      const before = fused.state[0]![idx[0]! * 2];
      fused.learn(idx, val, n, y, importance);
      general.learn(idx, val, n, y, importance);
      if (fused.state[0]![idx[0]! * 2] !== before) updates++;
      assert.equal(fused.margins[0], general.margins[0]);
    }
    assert.ok(updates > 50, `only ${updates} updates: the test would not exercise the step`);
    assert.deepEqual(fused.state[0], general.state[0]);
    assert.deepEqual(fused.counters.t, general.counters.t);
  });
});
