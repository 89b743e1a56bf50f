/**
 * @module
 * Demo step for `speaker`: the bundled 30 s broadcast, the bundled model of its target voice
 * (trained on the bundled clips by `bench/speaker-data.ts --demo-model`), detection with time
 * markers, the score against the broadcast's truth, and the HTML timeline report.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoStep } from './index.js';

const DATA = fileURLToPath(new URL('../../data/speaker-demo/', import.meta.url));

export const speakerStep: DemoStep = {
  name: 'speaker',
  title: 'speaker: where does one voice speak in a broadcast? (bundled 30 s example)',
  async run(log) {
    // imported here, not above: TensorFlow.js is optional, and the other steps run without it
    const { detectSpeaker, frameMetrics, loadSpeakerModel, readRttm, writeReport } = await import('../speaker/index.js');
    const model = await loadSpeakerModel(join(DATA, 'model'));
    try {
      const t = model.meta.training;
      log(
        `   model: preset ${model.config.preset}, ${t.targetSeconds.toFixed(1)} s of target speech vs ${t.otherSpeakers} other speakers, threshold ${model.meta.threshold.toFixed(3)}`,
      );
      const audio = join(DATA, 'broadcast.wav');
      const t0 = performance.now();
      const r = await detectSpeaker(model, audio, { log: (l) => log(`   ${l}`) });
      const secs = (performance.now() - t0) / 1000;
      log(`   detected ${r.segments.length} segment(s) in ${r.duration.toFixed(1)} s of audio (${(r.duration / secs).toFixed(0)}x real time):`);
      for (const s of r.segments) log(`     ${s.start.toFixed(2)}–${s.end.toFixed(2)} s  score ${s.score.toFixed(3)}`);
      const truth = readRttm(join(DATA, 'broadcast.rttm')).filter((x) => x.speaker === 'target');
      const m = frameMetrics(r.segments, truth, r.duration);
      log(`   against the truth (10 ms frames): precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, F1 ${m.f1.toFixed(3)}`);
      const dir = join(tmpdir(), 'leanml-demo');
      mkdirSync(dir, { recursive: true });
      const report = join(dir, 'speaker-report.html');
      writeReport(report, r, { audioPath: audio, title: 'bundled broadcast' });
      log(`   timeline report (click a segment to hear it): ${report}`);
    } finally {
      model.dispose();
    }
  },
};
