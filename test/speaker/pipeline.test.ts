// End to end on the bundled demo clips with a tiny net: train, save/load, streaming vs
// one-shot detection, bad inputs, and the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMono, writeWav } from '../../src/audio/index.js';
import { FormatError, NotFoundError, UsageError } from '../../src/core/errors.js';
import { detectSpeaker, loadSpeakerModel, trainSpeakerModel, type SpeakerConfig, type SpeakerModel } from '../../src/speaker/index.js';
import { expectClose } from '../helpers/expect-close.js';

const DATA = new URL('../../data/speaker-demo/', import.meta.url).pathname;
const TARGET = join(DATA, 'target.wav');
const OTHERS = [join(DATA, 'others', 'espeak-en-gb-f2-p55.wav'), join(DATA, 'others', 'flite-kal16.wav')];
const BROADCAST = join(DATA, 'broadcast.wav');
const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const tiny = (cfg: SpeakerConfig): void => {
  cfg.detect.thresholdMode = 'eer';
  cfg.train.ensemble = 1;
  cfg.net = { filters: 8, dim: 8 };
  cfg.train.steps = 12;
  cfg.train.batch = 16;
};
const leanml = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('speaker pipeline', () => {
  let dir: string;
  let model: SpeakerModel;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leanml-speaker-test-'));
    model = await trainSpeakerModel([TARGET], OTHERS, { configure: tiny });
    model.save(join(dir, 'model'));
  });
  after(() => {
    model?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains a self-describing model with a held-out threshold', () => {
    const meta = JSON.parse(readFileSync(join(dir, 'model', 'model.json'), 'utf8'));
    assert.equal(meta.format, 'leanml-speaker');
    assert.equal(meta.formatVersion, 1);
    assert.equal(meta.config.audio.sampleRate, 22050);
    assert.equal(meta.config.preset, 'default');
    assert.ok(Number.isFinite(meta.threshold));
    // one recording per speaker: no whole file to hold out, so the fixed threshold, with a warning
    assert.equal(meta.training.heldOut.wholeClips, false);
    assert.equal(meta.threshold, meta.config.detect.fixedThreshold);
    assert.ok(
      meta.training.warnings.some((w: string) => /fixed 0.7/.test(w)),
      JSON.stringify(meta.training.warnings),
    );
    assert.ok(meta.training.heldOut.targetFrames > 0 && meta.training.heldOut.nonTargetFrames > 0);
  });

  it('a loaded model scores exactly like the trained one', async () => {
    const loaded = await loadSpeakerModel(join(dir, 'model'));
    try {
      const a = await detectSpeaker(model, BROADCAST);
      const b = await detectSpeaker(loaded, BROADCAST);
      expectClose(b.scores, a.scores, { atol: 1e-6, rtol: 1e-6 }, 'scores after save/load');
      assert.deepEqual(b.segments, a.segments);
    } finally {
      loaded.dispose();
    }
  });

  it('streaming in small chunks agrees with one big chunk', async () => {
    const oneShot = await detectSpeaker(model, BROADCAST, { chunkColumns: 1 << 20 });
    const streamed = await detectSpeaker(model, BROADCAST, { chunkColumns: 37 });
    assert.equal(streamed.scores.length, oneShot.scores.length);
    // frames are embedded from different blocks: float32 sums in another order
    expectClose(streamed.scores, oneShot.scores, { atol: 1e-4, rtol: 1e-4 }, 'streamed vs one-shot column scores');
    assert.deepEqual(
      streamed.segments.map((s) => [s.start, s.end]),
      oneShot.segments.map((s) => [s.start, s.end]),
    );
    assert.ok(Math.abs(oneShot.duration - 30) < 0.1);
  });

  it('the threshold option moves the decision', async () => {
    const none = await detectSpeaker(model, BROADCAST, { threshold: 2 });
    assert.equal(none.segments.length, 0);
    const all = await detectSpeaker(model, BROADCAST, { threshold: -2 });
    assert.ok(all.segments.length > 0);
  });

  it('too little target audio is a usage error naming the files', async () => {
    const x = await loadMono(TARGET, 22050);
    const short = join(dir, 'short.wav');
    writeWav(short, [x.subarray(0, 22050 * 4)], 22050);
    await assert.rejects(
      trainSpeakerModel([short], OTHERS, { configure: tiny }),
      (e: Error) => e instanceof UsageError && /only .* s of target speech/.test(e.message) && e.message.includes('short.wav'),
    );
  });

  it('a silent target is refused; a silent recording gives no segments and a warning', async () => {
    const silent = join(dir, 'silent.wav');
    writeWav(silent, [new Float32Array(22050 * 20)], 22050);
    await assert.rejects(trainSpeakerModel([silent], OTHERS, { configure: tiny }), UsageError);
    const warnings: string[] = [];
    const r = await detectSpeaker(model, silent, { log: (l) => warnings.push(l) });
    assert.equal(r.segments.length, 0);
    assert.ok(
      warnings.some((w) => /silent/.test(w)),
      warnings.join('; '),
    );
  });

  it('mixed sample rates in training are resampled with a warning', async () => {
    const x = await loadMono(OTHERS[1]!, 22050);
    const other22 = join(dir, 'other-22k.wav');
    writeWav(other22, [x], 22050);
    const logs: string[] = [];
    const m = await trainSpeakerModel([TARGET], [OTHERS[0]!, other22], {
      configure: (c) => {
        tiny(c);
        c.train.steps = 2;
      },
      log: (l) => logs.push(l),
    });
    m.dispose();
    // the warning names a file of each rate
    assert.ok(
      logs.some((l) => /mixed sample rates \(16000 Hz, e\.g\. .*target\.wav; 22050 Hz, e\.g\. .*other-22k\.wav\)/.test(l)),
      logs.join('; '),
    );
  });

  it('a model directory from another version, or no model at all, is a clear error', async () => {
    const other = join(dir, 'old-model');
    cpSync(join(dir, 'model'), other, { recursive: true });
    const metaPath = join(other, 'model.json');
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    writeFileSync(metaPath, JSON.stringify({ ...meta, formatVersion: 99, leanml: '9.9.9' }));
    await assert.rejects(loadSpeakerModel(other), (e: Error) => e instanceof FormatError && /version 99 \(written by leanml 9\.9\.9\)/.test(e.message));
    await assert.rejects(loadSpeakerModel(join(dir, 'nothing-here')), NotFoundError);
  });

  it('CLI: detect prints JSON, RTTM and CSV and writes a report; bad usage exits 2', () => {
    const m = join(dir, 'model');
    const j = leanml(['speaker', 'detect', '--model', m, BROADCAST]);
    assert.equal(j.code, 0, j.stderr);
    const parsed = JSON.parse(j.stdout);
    assert.deepEqual(Object.keys(parsed), ['duration', 'threshold', 'segments']);
    const rttm = leanml(['speaker', 'detect', '--model', m, '--format', 'rttm', '--threshold', '-2', BROADCAST]);
    assert.equal(rttm.code, 0, rttm.stderr);
    assert.match(rttm.stdout, /^SPEAKER broadcast 1 \d+\.\d{3} \d+\.\d{3} <NA> <NA> target <NA> <NA>$/m);
    const csv = leanml(['speaker', 'detect', '--model', m, '--format', 'csv', '--report', join(dir, 'r.html'), BROADCAST]);
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stdout, /^start,end,score\n/);
    assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /<svg id="curve"[\s\S]*wavesurfer\.js/);
    const labels = leanml(['speaker', 'detect', '--model', m, '--format', 'audacity', '--threshold', '-2', BROADCAST]);
    assert.equal(labels.code, 0);
    assert.match(labels.stdout, /^\d+\.\d{6}\t\d+\.\d{6}\ttarget \d\.\d{3}\n/);
    assert.equal(leanml(['speaker', 'detect', '--model', m, '--format', 'xml', BROADCAST]).code, 2);
    const missing = leanml(['speaker', 'detect', '--model', join(dir, 'nope'), BROADCAST]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not a speaker model directory/);
  });

  it('CLI: train writes a model directory and a JSON summary', () => {
    const out = join(dir, 'cli-model');
    const r = leanml([
      'speaker',
      'train',
      '--target',
      TARGET,
      '--others',
      ...OTHERS,
      '--out',
      out,
      '--steps',
      '2',
      '--ensemble',
      '2',
      '--threshold-mode',
      'eer-normal',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.otherSpeakers, 2);
    assert.equal(s.ensemble, 2);
    assert.equal(s.thresholdMode, 'eer-normal');
    assert.ok(Number.isFinite(s.threshold));
    assert.equal(s.thresholdCandidates.fixed, 0.7);
    const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.equal(meta.config.detect.thresholdMode, 'eer-normal');
    assert.equal(meta.members.length, 2);
    const badMode = leanml(['speaker', 'train', '--target', TARGET, '--others', ...OTHERS, '--out', out, '--threshold-mode', 'median']);
    assert.equal(badMode.code, 2);
    assert.match(badMode.stderr, /threshold-mode/);
    const bad = leanml(['speaker', 'train', '--target', join(dir, 'no-such.wav'), '--others', ...OTHERS, '--out', out]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /no-such\.wav: no such file/);
  });

  it('the demo step runs on the bundled example and writes the report', () => {
    const r = leanml(['demo', '--only', 'speaker']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /detected [1-9]\d* segment\(s\)/);
    assert.match(r.stdout, /timeline report .*speaker-report\.html/);
  });
});

describe('speaker threshold from a held-out broadcast', () => {
  it('holds out whole files of the target and of other speakers and calibrates on detection scores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leanml-speaker-calib-test-'));
    try {
      // each speaker as several recordings (sessions): the target in 4 parts, the others in 2
      const sr = 22050;
      const parts = async (src: string, out: string, n: number): Promise<void> => {
        const x = await loadMono(src, sr);
        const len = Math.floor(x.length / n);
        mkdirSync(out, { recursive: true });
        for (let i = 0; i < n; i++) writeWav(join(out, `${i}.wav`), [x.subarray(i * len, (i + 1) * len)], sr);
      };
      await parts(TARGET, join(dir, 'target'), 4);
      await parts(OTHERS[0]!, join(dir, 'a'), 2);
      await parts(OTHERS[1]!, join(dir, 'b'), 2);
      const m = await trainSpeakerModel([join(dir, 'target')], [join(dir, 'a'), join(dir, 'b')], { configure: tiny, minTargetSeconds: 5 });
      try {
        const h = m.meta.training.heldOut;
        assert.equal(h.wholeClips, true);
        assert.equal(h.targetFiles, 1);
        assert.equal(h.nonTargetFiles, 2);
        assert.ok(h.targetFrames > 0 && h.nonTargetFrames > 0, JSON.stringify(h));
        assert.equal(m.meta.threshold, h.eerThreshold);
        // the memory holds the 3 training files' frames only: scoring the held-out file
        // itself finds no exact match
        const held = await detectSpeaker(m, join(dir, 'target', '2.wav'), { threshold: 0 });
        assert.ok(held.scores.some((s) => Number.isFinite(s)));
        assert.ok(held.scores.every((s) => !(s > 1 - 1e-6)));
      } finally {
        m.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
