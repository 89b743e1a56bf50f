// An ensemble of two tiny nets on the bundled demo clips: saved and loaded as one model
// directory, detection scores are the mean of the members' scores, member 0 is the single
// net of the base seed, and a directory without a `members` list still loads as one net.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectSpeaker, loadSpeakerModel, trainSpeakerModel, SpeakerModel, type SpeakerConfig } from '../../src/speaker/index.js';
import { expectClose } from '../helpers/expect-close.js';

const DATA = new URL('../../data/speaker-demo/', import.meta.url).pathname;
const TARGET = join(DATA, 'target.wav');
const OTHERS = [join(DATA, 'others', 'espeak-en-gb-f2-p55.wav'), join(DATA, 'others', 'flite-kal16.wav')];
const BROADCAST = join(DATA, 'broadcast.wav');
const tiny = (cfg: SpeakerConfig): void => {
  cfg.net = { filters: 8, dim: 8 };
  cfg.train.steps = 12;
  cfg.train.batch = 16;
};

describe('speaker ensemble', () => {
  let dir: string;
  let model: SpeakerModel;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leanml-speaker-ens-'));
    model = await trainSpeakerModel([TARGET], OTHERS, { configure: tiny, ensemble: 2, seed: 3 });
    model.save(join(dir, 'ens'));
  });
  after(() => {
    model?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a self-describing directory listing both members', () => {
    const meta = JSON.parse(readFileSync(join(dir, 'ens', 'model.json'), 'utf8'));
    assert.equal(meta.config.train.ensemble, 2);
    assert.deepEqual(
      meta.members.map((m: { net: string; memory: string; seed: number }) => [m.net, m.memory, m.seed]),
      [
        ['net.safetensors', 'memory.npy', 3],
        ['net-1.safetensors', 'memory-1.npy', 1003],
      ],
    );
    for (const m of meta.members) assert.ok(existsSync(join(dir, 'ens', m.net)) && existsSync(join(dir, 'ens', m.memory)));
    assert.equal(meta.training.members.length, 2);
  });

  it('loads, detects, and scores each column as the mean of the members', async () => {
    const loaded = await loadSpeakerModel(join(dir, 'ens'));
    try {
      assert.equal(loaded.members.length, 2);
      // column scores are linear in the frame scores (column means, island means; no median smoothing)
      assert.equal(loaded.config.detect.smoothColumns, 1);
      const ens = await detectSpeaker(loaded, BROADCAST, { chunkColumns: 300 });
      assert.ok(ens.scores.some(Number.isFinite));
      const parts: Awaited<ReturnType<typeof detectSpeaker>>[] = [];
      for (const m of loaded.members)
        parts.push(await detectSpeaker(new SpeakerModel(loaded.meta, m.net, m.memory, m.cohort), BROADCAST, { chunkColumns: 300 }));
      assert.notDeepEqual(parts[0]!.scores, parts[1]!.scores, 'the members are different nets');
      const mean = Float32Array.from(ens.scores, (_, c) => (parts[0]!.scores[c]! + parts[1]!.scores[c]!) / 2);
      expectClose(ens.scores, mean, { atol: 1e-5, rtol: 1e-5 }, 'ensemble = mean of members');
      const trained = await detectSpeaker(model, BROADCAST, { chunkColumns: 300 });
      expectClose(ens.scores, trained.scores, { atol: 1e-6, rtol: 1e-6 }, 'loaded vs trained ensemble');
      assert.deepEqual(ens.segments, trained.segments);
    } finally {
      loaded.dispose();
    }
  });

  it('member 0 is the single net of the base seed', async () => {
    const single = await trainSpeakerModel([TARGET], OTHERS, { configure: tiny, seed: 3, ensemble: 1 });
    try {
      assert.equal(single.members.length, 1);
      const a = await detectSpeaker(single, BROADCAST);
      const b = await detectSpeaker(new SpeakerModel(model.meta, model.net, model.memory, model.cohort), BROADCAST);
      expectClose(a.scores, b.scores, { atol: 1e-6, rtol: 1e-6 }, 'single net vs member 0');
    } finally {
      single.dispose();
    }
  });

  it('a directory without a members list (written before ensembles) loads as one net', async () => {
    const path = join(dir, 'ens', 'model.json');
    const meta = JSON.parse(readFileSync(path, 'utf8'));
    delete meta.members;
    delete meta.config.train.ensemble;
    writeFileSync(path, JSON.stringify(meta));
    const old = await loadSpeakerModel(join(dir, 'ens'));
    try {
      assert.equal(old.members.length, 1);
      const a = await detectSpeaker(old, BROADCAST);
      const b = await detectSpeaker(new SpeakerModel(model.meta, model.net, model.memory, model.cohort), BROADCAST);
      expectClose(a.scores, b.scores, { atol: 1e-6, rtol: 1e-6 }, 'old-format load = member 0');
    } finally {
      old.dispose();
    }
  });
});
