// `leanml text` from the command line: train/test/predict/inspect for both architectures, the
// bad inputs a user meets (exit codes and messages, nothing half-written), and the inspect
// report in headless Chromium (Debian `chromium`): heatmaps drawn, tokens coloured.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { topicLines } from '../../src/text/index.js';
import { CHROMIUM, CHROMIUM_ARGS, requireTool } from '../helpers/system-tool.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
function leanml(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'leanml-text-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const train = join(dir, 'train.txt');
const test = join(dir, 'test.txt');
writeFileSync(train, `${topicLines(400, 1).join('\n')}\n`);
writeFileSync(test, `${topicLines(100, 2).join('\n')}\n`);
const small = ['--dim', '16', '--hidden', '16', '--min-count', '1', '--buckets', '50', '--epochs', '6', '--lr', '0.02'];

for (const arch of ['bag', 'gru']) {
  describe(`leanml text (${arch})`, () => {
    const model = join(dir, `m-${arch}`);
    it('train writes a model directory and prints a summary; test, predict and inspect use it', () => {
      const t = leanml(['text', 'train', '--input', train, '--model', model, '--arch', arch, ...small]);
      assert.equal(t.code, 0, t.stderr);
      const s = JSON.parse(t.stdout);
      assert.equal(s.arch, arch);
      assert.equal(s.labels, 3);
      assert.ok(s.validationAccuracy > 0.8, t.stdout);
      assert.match(t.stderr, /epoch 1: train loss/);
      assert.deepEqual(readdirSync(model).sort(), ['model.json', 'vocab.txt', 'weights.safetensors']);

      const r = leanml(['text', 'test', '--model', model, '--input', test]);
      assert.equal(r.code, 0, r.stderr);
      const m = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(m), ['n', 'accuracy', 'recallAt1', 'precision', 'recall', 'f1', 'perLabel']);
      assert.equal(m.n, 100);
      assert.ok(m.accuracy > 0.8);

      const p = leanml(['text', 'predict', '--model', model, '--k', '2'], 'the team scored a goal\nguitar song\n');
      assert.equal(p.code, 0, p.stderr);
      const rows = p.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      assert.equal(rows.length, 2);
      assert.equal(rows[0]![0], 'sport');
      assert.equal(rows[1]![0], 'music');
      assert.equal(rows[0]!.length, 4);
      assert.ok(Number(rows[0]![1]) >= Number(rows[0]![3]));

      const report = join(dir, `errors-${arch}.html`);
      const i = leanml(['text', 'inspect', '--model', model, '--input', test, '--errors', '4', '--report', report]);
      assert.equal(i.code, 0, i.stderr);
      const j = JSON.parse(i.stdout);
      assert.equal(j.arch, arch);
      assert.ok(j.errors > 0 && j.shown === Math.min(4, j.errors));
      assert.ok(existsSync(report));
    });
  });
}

describe('leanml text bad input', () => {
  it('empty input, a line without a label, an unseen label, another model version: clear errors, nothing written', () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const out = join(dir, 'never');
    let r = leanml(['text', 'train', '--input', empty, '--model', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /empty\.txt: no lines \(the input is empty\)/);
    const nolabel = join(dir, 'nolabel.txt');
    writeFileSync(nolabel, '__label__a x y\njust text\n');
    r = leanml(['text', 'train', '--input', nolabel, '--model', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nolabel\.txt:2: no label/);
    assert.ok(!existsSync(out));
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp-')),
      [],
    );

    const unseen = join(dir, 'unseen.txt');
    writeFileSync(unseen, '__label__sport goal\n__label__weather rain\n');
    r = leanml(['text', 'test', '--model', join(dir, 'm-bag'), '--input', unseen]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unseen\.txt:2: label 'weather' was not seen in training \(the model knows: food, music, sport\)/);

    const old = join(dir, 'm-old');
    leanml(['text', 'train', '--input', train, '--model', old, ...small, '--epochs', '1']);
    const metaPath = join(old, 'model.json');
    writeFileSync(metaPath, readFileSync(metaPath, 'utf8').replace('"formatVersion": 1', '"formatVersion": 7'));
    r = leanml(['text', 'predict', '--model', old], 'goal\n');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /model format version 7 .* this leanml .* reads version 1/);

    r = leanml(['text', 'train', '--input', train, '--model', out, '--arch', 'lstm']);
    assert.equal(r.code, 2);
  });
});

describe('text inspect report in Chromium', { skip: requireTool(CHROMIUM) }, () => {
  it('draws three heatmaps per GRU error and colours every token', async () => {
    const report = join(dir, 'errors-gru.html');
    assert.ok(existsSync(report), 'the gru test above wrote the report');
    const browser = await chromium.launch({ executablePath: CHROMIUM.path, args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(report).href);
      const sections = await page.locator('section.err').count();
      assert.ok(sections >= 1);
      assert.equal(await page.locator('canvas.heat').count(), 3 * sections);
      assert.equal(await page.evaluate('window.heatmapsDrawn'), 3 * sections);
      // the first update-gate heatmap has coloured (non-white) pixels
      const inked = await page.evaluate(
        `(() => { const c = document.querySelectorAll('canvas.heat')[1]; const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 250) n++; return n / (d.length / 4); })()`,
      );
      assert.ok((inked as number) > 0.5, `inked share ${inked}`);
      assert.ok((await page.locator('span.tok').count()) > sections);
      await page
        .locator('canvas.heat')
        .first()
        .hover({ position: { x: 3, y: 3 } });
      assert.match((await page.locator('.hover').first().textContent()) ?? '', /reset: token 1 ".*", unit 0 = /);
      if (process.env['LEANML_SCREENSHOT']) await page.screenshot({ path: process.env['LEANML_SCREENSHOT'], fullPage: false });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
