// The HTML report in headless Chromium (Debian `chromium`): score lane, loudness strip and time
// axis drawn by wavesurfer.js; zoom; a click on a segment (lane, region or list row) plays that
// stretch and stops at its end; downloads carry the same text as `detect --format`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeWav } from '../../src/audio/index.js';
import { LimitError } from '../../src/core/errors.js';
import { CHROMIUM, CHROMIUM_ARGS, requireTool } from '../helpers/system-tool.js';
import { formatClock, renderReport, toAudacity, toRttm, writeReport, type DetectResult } from '../../src/speaker/index.js';

const SR = 16000;
const COL = 1024 / 22050;

/** A detection over `seconds` with `n` evenly spread segments and a score curve that crosses the threshold there. */
function fakeResult(seconds: number, segments: { start: number; end: number; score: number }[]): DetectResult {
  const T = Math.ceil(seconds / COL);
  const scores = new Float32Array(T).fill(0.2);
  const level = Float32Array.from({ length: T }, (_, c) => 1e-3 * (1 + Math.sin(c / 7) ** 2));
  for (const s of segments)
    for (let c = Math.floor(s.start / COL); c < Math.min(T, Math.ceil(s.end / COL)); c++) {
      scores[c] = s.score;
      level[c] = 4e-3;
    }
  return {
    duration: seconds,
    threshold: 0.5,
    columnSeconds: COL,
    scores,
    gate: new Uint8Array(T).fill(1),
    level,
    segments,
    info: { path: 'x.wav', container: 'WAV', codec: 'pcm_s16le', sampleRate: SR, channels: 1, frames: seconds * SR, duration: seconds, decoder: 'native' },
    warnings: [],
  };
}

describe('report helpers', () => {
  it('clock reads m:ss under an hour and h:mm:ss past it, rounding before carrying', () => {
    assert.equal(formatClock(0), '0:00');
    assert.equal(formatClock(75.4), '1:15');
    assert.equal(formatClock(59.96, 1), '1:00.0');
    assert.equal(formatClock(3599.6), '1:00:00');
    assert.equal(formatClock(7384.25, 1), '2:03:04.3');
  });
  it('refuses to embed a large recording, naming its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leanml-report-embed-'));
    try {
      const big = join(dir, 'big.wav');
      writeWav(big, [new Float32Array(7_000_000)], SR); // 28 MB of float32
      assert.throws(
        () => writeReport(join(dir, 'r.html'), fakeResult(10, []), { audioPath: big, embedAudio: true }),
        (e: Error) => e instanceof LimitError && /big\.wav is 2\d\.\d MiB/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a two-hour detection stays a page of a few megabytes', () => {
    const segs = Array.from({ length: 400 }, (_, i) => ({ start: i * 18 + 2, end: i * 18 + 9, score: 0.8 }));
    const html = renderReport(fakeResult(7200, segs), 'talk.mp3', { title: 'talk.mp3' });
    assert.ok(html.length < 3_000_000, `${html.length} bytes`);
  });
});

describe('speaker report in Chromium', { skip: requireTool(CHROMIUM) }, () => {
  let dir: string;
  let browser: Browser;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leanml-speaker-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM.path,
      args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
    });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(report: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(report).href);
    // wavesurfer has drawn the regions once it is ready (page-side code as strings: no DOM types here)
    await page.waitForFunction('window.leanmlReport && window.leanmlReport.regions.getRegions().length === window.leanmlReport.data.segments.length');
    return { page, errors };
  }

  it('short file: lane, strip, axis in m:ss; a click plays the segment and stops at its end; downloads', async () => {
    const x = Float32Array.from({ length: SR * 12 }, (_, i) => 0.2 * Math.sin((2 * Math.PI * 440 * i) / SR));
    writeWav(join(dir, 'show & tell.wav'), [x], SR);
    const r = fakeResult(12, [
      { start: 1, end: 2.5, score: 0.8 },
      { start: 6.25, end: 7, score: 0.7 },
      { start: 9, end: 11, score: 0.9 },
    ]);
    const report = join(dir, 'report.html');
    writeReport(report, r, { audioPath: join(dir, 'show & tell.wav'), title: 'show <&> tell' });
    const { page, errors } = await open(report);
    assert.equal(await page.title(), 'show <&> tell — leanml speaker report');
    assert.equal(await page.locator('#lane rect.seg').count(), 3);
    assert.equal(await page.locator('tr.row').count(), 3);
    assert.equal(await page.locator('tr.row').nth(1).locator('td').nth(1).textContent(), '0:06.3');
    const path = await page.locator('#lane path.curve').getAttribute('d');
    assert.ok(path && path.split('L').length > 200, 'the score curve is drawn');
    // the time axis (in wavesurfer's shadow DOM) reads m:ss
    const axis = (await page.evaluate('window.leanmlReport.ws.getWrapper().getRootNode().textContent')) as string;
    assert.match(axis, /0:05/);
    await page.waitForFunction("document.getElementById('audio').readyState >= 1");
    await page
      .locator('#lane rect.seg')
      .nth(1)
      .click({ position: { x: 2, y: 60 } });
    const state = await page.waitForFunction(
      "(() => { const a = document.getElementById('audio'); const l = window.lastPlayed; return l && !a.paused && a.currentTime >= 6.2 ? { index: l.index, t: a.currentTime } : null; })()",
      undefined,
      { timeout: 10_000 },
    );
    const s = (await state.jsonValue()) as { index: number; t: number };
    assert.equal(s.index, 1);
    assert.ok(s.t >= 6.2 && s.t <= 7.3, `currentTime ${s.t}`);
    await page.waitForFunction("document.getElementById('audio').paused", undefined, { timeout: 10_000 });
    const end = (await page.evaluate("document.getElementById('audio').currentTime")) as number;
    assert.ok(end >= 6.9 && end < 7.6, `stopped at ${end}`);
    // a list row plays its segment too
    await page.locator('tr.row').nth(2).click();
    assert.equal(await page.evaluate('window.lastPlayed.index'), 2);
    // downloads: the same text as detect --format audacity / rttm
    const text = async (kind: string): Promise<string> =>
      (await page.evaluate(`fetch(document.querySelector('[data-export="${kind}"]').href).then((r) => r.text())`)) as string;
    assert.equal(await text('audacity'), toAudacity(r));
    assert.equal(await text('rttm'), toRttm(r, 'show <&> tell'));
    assert.equal(await page.locator('[data-export="audacity"]').getAttribute('download'), 'show <&> tell.labels.txt');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('two-hour file with 300 segments: h:mm:ss, zoom widens the strip and the lane together, scroll follows a segment', async () => {
    const segs = Array.from({ length: 300 }, (_, i) => ({ start: i * 24 + 3, end: i * 24 + 3 + 4 + (i % 5), score: 0.6 + (i % 4) / 10 }));
    const report = join(dir, 'long.html');
    writeReport(report, fakeResult(7200, segs), { audioPath: null, title: 'two hours.mp3' });
    assert.ok(readFileSync(report, 'utf8').length < 3_000_000);
    const { page, errors } = await open(report);
    assert.equal(await page.locator('tr.row').count(), 300);
    assert.equal(await page.locator('tr.row').nth(299).locator('td').nth(1).textContent(), '1:59:39.0');
    const axis = (await page.evaluate('window.leanmlReport.ws.getWrapper().getRootNode().textContent')) as string;
    assert.match(axis, /1:\d\d:00/, 'the axis passes the hour as h:mm:ss');
    const width = async (): Promise<{ wave: number; lane: number }> =>
      (await page.evaluate("({ wave: window.leanmlReport.ws.getWrapper().scrollWidth, lane: parseFloat(document.getElementById('curve').style.width) })")) as {
        wave: number;
        lane: number;
      };
    const before = await width();
    for (let i = 0; i < 6; i++) await page.click('#zoomIn');
    await page.waitForFunction(`window.leanmlReport.ws.getWrapper().scrollWidth > ${before.wave * 20}`);
    await page.waitForTimeout(100);
    const zoomed = await width();
    assert.ok(Math.abs(zoomed.lane - zoomed.wave) <= 2, `lane ${zoomed.lane} px follows the strip ${zoomed.wave} px`);
    // a segment late in the file: the view scrolls to it, and the lane scrolls with the strip
    await page.locator('tr.row').nth(250).click();
    await page.waitForTimeout(100);
    const view = (await page.evaluate("({ scroll: window.leanmlReport.ws.getScroll(), shift: document.getElementById('curve').style.transform })")) as {
      scroll: number;
      shift: string;
    };
    const x = (segs[250]!.start / 7200) * zoomed.wave;
    assert.ok(view.scroll > 0 && view.scroll <= x && x - view.scroll < 1200, `scrolled to ${view.scroll}, segment at ${x}`);
    assert.equal(view.shift, `translateX(${-view.scroll}px)`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
