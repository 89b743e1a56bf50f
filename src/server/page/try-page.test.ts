// The try-it page in headless Chromium (Debian `chromium`; skipped with that hint when absent).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FakeLinear, FakeVectors } from '../../../test/server/fake-models.js';
import { CHROMIUM, CHROMIUM_ARGS, requireTool } from '../../../test/helpers/system-tool.js';
import { createServer } from '../create-server.js';
import { ModelRegistry } from '../model-registry.js';

describe('serve: the try-it page in headless Chromium', { skip: requireTool(CHROMIUM) }, () => {
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  const consoleErrors: string[] = [];

  before(async () => {
    const reg = new ModelRegistry()
      .add('vectors', 'wiki', new FakeVectors())
      .add('vectors', 'cls', new FakeVectors(true))
      .add('linear', 'spam', new FakeLinear());
    app = await createServer(reg, { logLevel: 'silent', limits: { maxK: 50 } });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM.path, args: [...CHROMIUM_ARGS] });
    page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`${base}/`);
    await page.waitForSelector('#m-wiki');
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lists every loaded model with the forms its kind supports', async () => {
    assert.equal(await page.locator('section').count(), 3);
    assert.match(await page.locator('#m-wiki h2').innerText(), /wiki\s+word vectors, dim 3/);
    assert.equal(await page.locator('#m-wiki-predict').count(), 0, 'no predict form on an unsupervised model');
    assert.equal(await page.locator('#m-cls-predict').count(), 1);
    assert.match(await page.locator('#m-spam h2').innerText(), /labels: ham, spam/);
  });

  it('a word gives its neighbours', async () => {
    await page.fill('#m-wiki-word', 'woman');
    await page.fill('#m-wiki-k', '2');
    await page.click('#m-wiki-nn-go');
    await page.waitForSelector('#m-wiki-nn-out table');
    const rows = await page.locator('#m-wiki-nn-out tr').allInnerTexts();
    assert.equal(rows.length, 3); // header + k rows
    assert.match(rows[1]!, /^queen\s+0\.\d{4}$/);
  });

  it('an analogy gives its answer', async () => {
    await page.fill('#m-wiki-analogy', 'king man woman');
    await page.click('#m-wiki-an-go');
    await page.waitForSelector('#m-wiki-an-out table');
    assert.match((await page.locator('#m-wiki-an-out tr').allInnerTexts())[1]!, /^queen\s/);
  });

  it('pasted text gives a label, for linear and supervised vectors models', async () => {
    await page.fill('#m-spam-text', 'get free money now\nsee you at lunch');
    await page.click('#m-spam-predict-go');
    await page.waitForSelector('#m-spam-predict-out table');
    const rows = await page.locator('#m-spam-predict-out tr').allInnerTexts();
    assert.match(rows[1]!, /get free money now\s+spam\s+1\.5000/);
    assert.match(rows[2]!, /see you at lunch\s+ham\s+-0\.5000/);
    await page.fill('#m-cls-text', 'a royal visit');
    await page.click('#m-cls-predict-go');
    await page.waitForSelector('#m-cls-predict-out table');
    assert.match((await page.locator('#m-cls-predict-out tr').allInnerTexts())[1]!, /__label__royal 0\.9000/);
  });

  it('shows the server error message, and model output never becomes markup', async () => {
    await page.fill('#m-wiki-k', '999');
    await page.fill('#m-wiki-word', 'king');
    await page.click('#m-wiki-nn-go');
    await page.waitForSelector('#m-wiki-nn-out .error');
    assert.match(await page.locator('#m-wiki-nn-out .error').innerText(), /usage: body\/k must be <= 50/);
    await page.fill('#m-spam-text', '<img src=x onerror="window.pwned=1"> free');
    await page.click('#m-spam-predict-go');
    await page.waitForSelector('#m-spam-predict-out table');
    assert.match(await page.locator('#m-spam-predict-out td').first().innerText(), /^<img src=x/);
    assert.equal(await page.locator('#m-spam-predict-out img').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
  });

  it('runs without console errors under its content security policy', () => {
    // the one 400 is the k=999 request above, made on purpose
    assert.deepEqual(
      consoleErrors.filter((e) => !/status of 400/.test(e)),
      [],
    );
  });
});
