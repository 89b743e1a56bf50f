/**
 * @module
 * Demo step for the foundation: a seeded RNG, top-k and a `.npy` round trip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../core/npy.js';
import { Rng } from '../core/rng.js';
import { topK } from '../core/top-k.js';
import type { DemoStep } from './index.js';

export const coreStep: DemoStep = {
  name: 'core',
  title: 'core: seeded random data, top-k, .npy exchange with numpy',
  async run(log) {
    const rng = new Rng(7);
    const scores = Float32Array.from({ length: 100_000 }, () => rng.normal());
    const best = topK(scores, 3);
    log(`   top-3 of 100,000 normal samples: ${best.map((b) => `#${b.id}=${b.score.toFixed(3)}`).join(', ')}`);
    const dir = mkdtempSync(join(tmpdir(), 'leanml-demo-'));
    try {
      const path = join(dir, 'scores.npy');
      writeNpy(path, scores, [1000, 100]);
      const back = readNpy(path);
      log(`   wrote and read back ${path.split('/').pop()}: shape (${back.shape.join(', ')}), ${back.data.constructor.name}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
