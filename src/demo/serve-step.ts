/**
 * @module
 * Demo step for serve: the bundled fastText model behind `leanml serve`'s HTTP API on an
 * ephemeral loopback port, two requests, a graceful stop.
 */
import { fileURLToPath } from 'node:url';
import { createServer } from '../server/create-server.js';
import { loadModels } from '../server/load-models.js';
import type { DemoStep } from './index.js';

const MODEL = fileURLToPath(new URL('../../data/fasttext/manpages.bin', import.meta.url));

export const serveStep: DemoStep = {
  name: 'serve',
  title: 'serve: the bundled model behind the HTTP API',
  async run(log) {
    const registry = await loadModels([{ kind: 'vectors', name: 'man', path: MODEL }]);
    const app = await createServer(registry, { logLevel: 'silent' });
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      log(`   listening on ${url} (the try-it page is at ${url}/)`);
      const nn = await fetch(`${url}/v1/vectors/man/nn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ words: ['directory'], k: 5 }),
      });
      const body = (await nn.json()) as { results: { neighbors: { word: string; score: number }[] }[] };
      log(
        `   POST /v1/vectors/man/nn {"words":["directory"],"k":5} -> ${nn.status}: ${body.results[0]!.neighbors.map((n) => `${n.word} ${n.score.toFixed(3)}`).join(', ')}`,
      );
      const bad = await fetch(`${url}/v1/vectors/man/nn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ words: ['directory'], k: 1e9 }),
      });
      log(`   ...with "k": 1e9 -> ${bad.status}: ${JSON.stringify(await bad.json())}`);
    } finally {
      await app.close();
      await registry.closeAll();
    }
    log('   stopped');
  },
};
