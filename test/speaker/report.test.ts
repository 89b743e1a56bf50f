// The HTML timeline report in headless Chromium (Debian `chromium`): segments are drawn over
// the score curve, and clicking one seeks the audio to that stretch and plays it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { writeWav } from '../../src/audio/index.js';
import { CHROMIUM, requireTool } from '../helpers/system-tool.js';
import { writeReport, type DetectResult } from '../../src/speaker/index.js';

const SR = 16000;

describe('speaker report in Chromium', { skip: requireTool(CHROMIUM) }, () => {
  let dir: string;
  let browser: Browser;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leanml-speaker-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM.path,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
    });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws every segment and the curve; a click plays that stretch', async () => {
    const x = Float32Array.from({ length: SR * 12 }, (_, i) => 0.2 * Math.sin((2 * Math.PI * 440 * i) / SR));
    writeWav(join(dir, 'show & tell.wav'), [x], SR);
    const T = 258; // 12 s of 46 ms columns
    const scores = Float32Array.from({ length: T }, (_, c) => Math.sin(c / 20));
    const r: DetectResult = {
      duration: 12, threshold: 0.5, columnSeconds: 12 / T, scores, gate: new Uint8Array(T).fill(1),
      segments: [{ start: 1, end: 2.5, score: 0.8 }, { start: 6.25, end: 7, score: 0.7 }, { start: 9, end: 11, score: 0.9 }],
      info: { path: 'show & tell.wav', container: 'WAV', codec: 'pcm_s16le', sampleRate: SR, channels: 1, frames: x.length, duration: 12, decoder: 'native' },
      warnings: [],
    };
    const report = join(dir, 'report.html');
    writeReport(report, r, { audioPath: join(dir, 'show & tell.wav'), title: 'show <&> tell' });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(report).href);
    assert.equal(await page.title(), 'show <&> tell — leanml speaker report');
    assert.equal(await page.locator('rect.seg').count(), 3);
    assert.equal(await page.locator('tr.row').count(), 3);
    const path = await page.locator('path.curve').getAttribute('d');
    assert.ok(path && path.split('L').length > 100, 'the score curve is drawn');
    // page-side code as strings: this file is type-checked without the DOM library
    await page.waitForFunction("document.getElementById('audio').readyState >= 1");
    await page.locator('rect.seg').nth(1).click({ position: { x: 1, y: 100 } });
    const state = await page.waitForFunction(
      "(() => { const a = document.getElementById('audio'); const l = window.lastPlayed; return l && a.currentTime >= 6.2 ? { index: l.index, t: a.currentTime } : null; })()",
      undefined, { timeout: 10_000 });
    const s = (await state.jsonValue()) as { index: number; t: number };
    assert.equal(s.index, 1);
    assert.ok(s.t >= 6.2 && s.t <= 7.3, `currentTime ${s.t}`);
    // it stops by itself at the end of the segment
    await page.waitForFunction("document.getElementById('audio').paused", undefined, { timeout: 10_000 });
    const end = (await page.evaluate("document.getElementById('audio').currentTime")) as number;
    assert.ok(end >= 6.25 && end < 7.6, `stopped at ${end}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
