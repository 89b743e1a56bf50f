/**
 * @module
 * Demo step for fasttext: neighbours of words the bundled model never saw (their vectors come
 * from character n-grams), then the same from an int8 compact store a fraction of the size.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertToStore, openBin, openFastText } from '../fasttext/index.js';
import type { DemoStep } from './index.js';

const MODEL = fileURLToPath(new URL('../../data/fasttext/manpages.bin', import.meta.url));

export const fasttextStep: DemoStep = {
  name: 'fasttext',
  title: 'fasttext: neighbours of out-of-vocabulary words from a small bundled model',
  async run(log) {
    const t0 = performance.now();
    const model = openBin(MODEL);
    log(`   opened data/fasttext/manpages.bin in ${(performance.now() - t0).toFixed(1)} ms: ${model.nwords} words, dim ${model.dim}, ${model.args.model}`);
    const words = ['recompressing', 'subdirectoryish', 'compressorless'];
    for (const w of words) {
      const nn = model.nearestNeighbors(w, 5);
      log(
        `   ${w} (${model.has(w) ? 'in vocabulary' : 'not in vocabulary: vector from its n-grams'}): ${nn.map((n) => `${n.word} ${n.score.toFixed(3)}`).join(', ')}`,
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'leanml-demo-ft-'));
    try {
      const store = join(dir, 'licenses.int8');
      convertToStore(model, store, { dtype: 'int8' });
      const s = openFastText(store);
      const nn = s.nearestNeighbors(words[0]!, 5);
      log(
        `   int8 store: ${statSync(store).size.toLocaleString('en')} bytes vs ${statSync(MODEL).size.toLocaleString('en')} for the .bin; ${words[0]}: ${nn.map((n) => n.word).join(', ')}`,
      );
      s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      model.close();
    }
  },
};
