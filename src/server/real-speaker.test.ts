// The speaker route wired to the real speaker pipeline: an upload answered over HTTP equals
// `detectSpeaker` called directly on the same file. The model has random (seeded) weights and
// memory: this checks the wiring (upload, decoding, options, shape of the answer), not accuracy,
// which the speaker module's own tests cover.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { writeWav } from '../audio/index.js';
import { Rng } from '../core/rng.js';
import { initBackend } from '../nn/index.js';
import {
  detectSpeaker,
  EmbeddingMemory,
  EmbeddingNet,
  loadSpeakerModel,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  presetConfig,
  SpeakerModel,
} from '../speaker/index.js';
import { VERSION } from '../version.js';
import { createServer } from './create-server.js';
import { loadModels } from './load-models.js';
import type { ModelRegistry } from './model-registry.js';

describe('serve: real speaker model', () => {
  let tmp: string;
  let registry: ModelRegistry;
  let app: FastifyInstance;
  let wav: string;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'leanml-serve-spk-'));
    await initBackend();
    const config = presetConfig('default');
    const rng = new Rng(3);
    const dim = config.net.dim;
    const unitRows = (m: number) => {
      const a = new Float32Array(m * dim).map(() => rng.normal());
      for (let r = 0; r < m; r++) {
        const row = a.subarray(r * dim, (r + 1) * dim);
        const n = Math.hypot(...row);
        row.forEach((v, i) => (row[i] = v / n));
      }
      return new EmbeddingMemory(a, dim);
    };
    const model = new SpeakerModel(
      {
        format: MODEL_FORMAT,
        formatVersion: MODEL_FORMAT_VERSION,
        leanml: VERSION,
        config,
        norm: { mean: -40, std: 20 },
        threshold: 0.2,
        training: {
          targetSeconds: 0,
          targetFrames: 0,
          otherSpeakers: 0,
          negativeFrames: 0,
          seconds: 0,
          finalLoss: 0,
          miningFrom: 0,
          heldOut: { targetFrames: 0, nonTargetFrames: 0, eer: 0, eerThreshold: 0, gaussianEer: 0, gaussianEerThreshold: 0 },
          warnings: [],
        },
      },
      new EmbeddingNet({ channels: config.audio.nMels, filters: config.net.filters, dim }, 5),
      unitRows(20),
      config.detect.cohort ? unitRows(20) : null,
    );
    model.save(join(tmp, 'model'));
    model.dispose();
    // 6 s of a voice-like signal: harmonics of a gliding pitch, amplitude-modulated at a syllable rate
    const sr = 22_050;
    const x = new Float32Array(6 * sr);
    let phase = 0;
    for (let i = 0; i < x.length; i++) {
      const t = i / sr;
      phase += (2 * Math.PI * (120 + 30 * Math.sin(2 * Math.PI * 0.5 * t))) / sr;
      const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
      x[i] = env * (0.3 * Math.sin(phase) + 0.2 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase)) + 0.01 * rng.normal();
    }
    wav = join(tmp, 'talk.wav');
    writeWav(wav, [x], sr);
    registry = await loadModels([{ kind: 'speaker', name: 'anna', path: join(tmp, 'model') }]);
    app = await createServer(registry, { logLevel: 'silent' });
  });
  after(async () => {
    await app?.close();
    await registry?.closeAll();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('an uploaded WAV gets the segments detectSpeaker finds in the same file', async () => {
    const direct = await loadSpeakerModel(join(tmp, 'model'));
    try {
      for (const threshold of [undefined, -1]) {
        const expected = await detectSpeaker(direct, wav, { threshold });
        const r = await app.inject({
          method: 'POST',
          url: `/v1/speaker/anna/detect${threshold === undefined ? '' : `?threshold=${threshold}`}`,
          headers: { 'content-type': 'audio/wav' },
          payload: readFileSync(wav),
        });
        assert.equal(r.statusCode, 200, r.body);
        const body = r.json();
        assert.deepEqual(body, JSON.parse(JSON.stringify({ duration: expected.duration, threshold: expected.threshold, segments: expected.segments })));
        assert.ok(Math.abs(body.duration - 6) < 0.01);
        if (threshold === -1) assert.ok(body.segments.length > 0, 'at threshold -1 every gated column counts');
      }
    } finally {
      direct.dispose();
    }
    assert.equal(readdirSync(tmpdir()).filter((d) => d.startsWith('leanml-upload-')).length, 0, 'temporary uploads are removed');
  });

  it('a body that is not audio is a 400 naming the problem', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/speaker/anna/detect',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('this is not audio at all, just text'),
    });
    assert.ok(r.statusCode === 400, r.body);
    assert.equal(r.json().error.code, 'format');
    const empty = await app.inject({ method: 'POST', url: '/v1/speaker/anna/detect', headers: { 'content-type': 'audio/wav' }, payload: Buffer.alloc(0) });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.json().error.message, /body is empty/);
  });
});
