// leanml <-> PyTorch 1.13 on the committed fixtures (test/fixtures/gen/text/): models trained
// in leanml, loaded into the PyTorch twin (bench/text_reference.py), predict what leanml
// predicts; and weights trained by PyTorch, loaded into leanml, predict what PyTorch predicts.
// Also checks leanml still encodes the test lines to the ids PyTorch read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadSafetensors, decodeSafetensors } from '../nn/index.js';
import { expectClose } from '../../test/helpers/expect-close.js';
import { encodedSetTensors } from './encoded-set.js';
import { parseLabelledLines } from './labelled-lines.js';
import { loadTextModel } from './text-model.js';

const DIR = fileURLToPath(new URL('../../test/fixtures/text/', import.meta.url));
/** float32 softmax outputs after different summation orders (XNNPACK vs MKL) */
const PROB_TOL = { atol: 2e-6, rtol: 1e-5 };

describe('text models agree with PyTorch', () => {
  const expected = loadSafetensors(`${DIR}expected.safetensors`);
  const encoded = decodeSafetensors(readFileSync(`${DIR}encoded.safetensors`), 'encoded.safetensors').tensors;
  const test = parseLabelledLines(readFileSync(`${DIR}test.txt`, 'utf8'), 'test.txt');
  for (const arch of ['bag', 'gru'] as const) {
    it(`${arch}: same ids, leanml weights in PyTorch and PyTorch weights in leanml predict the same`, async () => {
      const model = await loadTextModel(`${DIR}${arch}`);
      try {
        const set = model.encode(test, 'test.txt');
        for (const [k, v] of Object.entries(encodedSetTensors(set, `${arch}.test`))) assert.deepEqual(Array.from(v.data), Array.from(encoded[k]!.data), k);
        const C = model.labels.length;
        const ours = model.probabilities(set);
        const torchOnOurs = expected[`${arch}.leanml-weights`]!;
        assert.deepEqual(torchOnOurs.shape, [test.length, C]);
        expectClose(ours, torchOnOurs.data as Float32Array, PROB_TOL, `${arch} leanml weights`);
        model.net.load(`${DIR}torch-${arch}.safetensors`);
        expectClose(model.probabilities(set), expected[`${arch}.torch-weights`]!.data as Float32Array, PROB_TOL, `${arch} PyTorch weights`);
        // the two weight sets differ, so the comparison could fail
        assert.ok(Math.abs(ours[0]! - model.probabilities(set)[0]!) > 1e-4);
      } finally {
        model.dispose();
      }
    });
  }
});
