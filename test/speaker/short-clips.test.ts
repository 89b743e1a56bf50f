// Short enrolment clips (shorter than one 2 s frame) are joined, not dropped; the training
// report says how much speech each speaker gave; too little after joining is a clear error.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMono, writeWav } from '../../src/audio/index.js';
import { UsageError } from '../../src/core/errors.js';
import { presetConfig, speakerFiles, speakerFrames, trainSpeakerModel, type SpeakerConfig } from '../../src/speaker/index.js';

const DATA = new URL('../../data/speaker-demo/', import.meta.url).pathname;
const OTHERS = [join(DATA, 'others', 'espeak-en-gb-f2-p55.wav'), join(DATA, 'others', 'flite-kal16.wav')];
const tiny = (cfg: SpeakerConfig): void => {
  cfg.train.ensemble = 1;
  cfg.net = { filters: 8, dim: 8 };
  cfg.train.steps = 8;
  cfg.train.batch = 16;
};

/** Writes `x` cut into pieces of `seconds` as numbered WAVs under `dir`; returns the count. */
function cut(x: Float32Array, sr: number, seconds: number, dir: string): number {
  mkdirSync(dir, { recursive: true });
  const n = Math.round(seconds * sr);
  let k = 0;
  for (let o = 0; o + n / 2 <= x.length; o += n, k++) writeWav(join(dir, `${String(k).padStart(3, '0')}.wav`), [x.subarray(o, Math.min(x.length, o + n))], sr);
  return k;
}

describe('speaker train with short clips', () => {
  let dir: string;
  let target: Float32Array;
  const SR = 16000;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leanml-short-clips-'));
    target = await loadMono(join(DATA, 'target.wav'), SR);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('joins 1.5 s clips and counts their speech like the whole recording', async () => {
    const cfg = presetConfig('default');
    const none = new Set<number>();
    const warnings: string[] = [];
    const whole = await speakerFrames([join(DATA, 'target.wav')], cfg, true, (w) => warnings.push(w), none);
    const files = cut(target, SR, 1.5, join(dir, 'short'));
    const short = await speakerFrames(speakerFiles(join(dir, 'short')), cfg, true, (w) => warnings.push(w), none);
    assert.equal(short.usedFiles.length, files);
    assert.equal(short.joinedFiles, files);
    assert.ok(short.count > 0);
    // the same audio: within 15% of the speech the whole file gave (gate edges differ per clip)
    const ratio = short.speechSeconds / whole.speechSeconds;
    assert.ok(ratio > 0.85 && ratio < 1.15, `short ${short.speechSeconds} s vs whole ${whole.speechSeconds} s`);
    assert.deepEqual(warnings, []);
  });

  it('training reports the seconds of speech of every speaker', async () => {
    const lines: string[] = [];
    const m = await trainSpeakerModel([join(dir, 'short')], OTHERS, { configure: tiny, minTargetSeconds: 5, log: (l) => lines.push(l) });
    try {
      const t = m.meta.training;
      const s = t.speakers!.find((x) => x.role === 'target')!;
      assert.ok(s.joinedFiles > 0 && s.speechSeconds === Math.round(t.targetSeconds * 10) / 10, JSON.stringify(s));
      assert.ok(
        lines.some((l) => /^target: \d+\.\d s of speech in \d+ of \d+ files \(\d+ short clips joined\)/.test(l)),
        lines.join('\n'),
      );
      assert.equal(t.speakers!.filter((x) => x.role === 'other' && x.speechSeconds > 0).length, OTHERS.length);
      assert.ok(!t.warnings.some((w) => /shorter than one/.test(w)), JSON.stringify(t.warnings));
    } finally {
      m.dispose();
    }
  });

  it('under 10 s of target speech after joining is a usage error saying so', async () => {
    cut(target.subarray(0, SR * 6), SR, 1.5, join(dir, 'few'));
    await assert.rejects(
      trainSpeakerModel([join(dir, 'few')], OTHERS, { configure: tiny }),
      (e: unknown) => e instanceof UsageError && /only \d+\.\d s of target speech .*short clips joined.*need at least 10 s/.test(e.message),
    );
  });

  it('a silent clip among the target clips is skipped with a warning naming it', async () => {
    cut(target.subarray(0, SR * 4), SR, 1.5, join(dir, 'with-silence'));
    writeWav(join(dir, 'with-silence', 'zz-silent.wav'), [new Float32Array(SR * 2)], SR);
    const warnings: string[] = [];
    const f = await speakerFrames(speakerFiles(join(dir, 'with-silence')), presetConfig('default'), true, (w) => warnings.push(w), new Set());
    assert.ok(
      warnings.some((w) => /zz-silent\.wav: silent; skipped/.test(w)),
      JSON.stringify(warnings),
    );
    assert.equal(f.usedFiles.length, 3);
  });
});
