/**
 * @module
 * `leanml speaker ...`: find where one voice speaks in long recordings.
 */
import { Option, type Command } from 'commander';
import { basename } from 'node:path';
import { withInputFile } from '../audio/index.js';
import { createProgress } from '../core/progress.js';
import type { PresetName, ThresholdMode } from '../speaker/config.js';
// the defaults only (no TensorFlow.js behind these modules), for --help
import { DEFAULT_SPEAKER_TRAIN, presetConfig } from '../speaker/config.js';
import { DEFAULT_DETECT_FORMAT, DETECT_FORMATS, type DetectFormat } from '../speaker/formats.js';
import { addGroup } from './group.js';
import { floatArg, intArg } from './options.js';

const warn = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
// on demand: speaker brings TensorFlow.js (optional), which the other commands do not load;
// detection loads only what it runs (no training code)
const loadTrain = () => Promise.all([import('../speaker/train.js'), import('../speaker/speaker-model.js')]);
const loadDetect = () =>
  Promise.all([import('../speaker/detect.js'), import('../speaker/speaker-model.js'), import('../speaker/formats.js'), import('../speaker/report.js')]);

export function registerSpeaker(program: Command): void {
  const speaker = addGroup(program, 'speaker', 'find where one voice speaks in long recordings');

  speaker
    .command('train')
    .description('train a model of the target voice against other speakers; writes a model directory and prints a JSON summary')
    .requiredOption('--target <paths...>', 'audio files or directories of the target voice')
    .requiredOption('--others <paths...>', 'other speakers: each path (a file, or a directory of clips) is one speaker')
    .requiredOption('--out <dir>', 'model directory to write')
    .addOption(
      new Option('--preset <name>', 'configuration: leanml default or the original method')
        .choices(['default', 'original'])
        .default(DEFAULT_SPEAKER_TRAIN.preset),
    )
    .option('--steps <n>', `training steps (default: the preset's, ${presetConfig(DEFAULT_SPEAKER_TRAIN.preset).train.steps})`, intArg(1))
    .option('--seed <n>', 'random seed', intArg(0), DEFAULT_SPEAKER_TRAIN.seed)
    .option(
      '--min-target-seconds <s>',
      'least seconds of target speech (short clips are joined first)',
      floatArg(0, 1e6),
      DEFAULT_SPEAKER_TRAIN.minTargetSeconds,
    )
    .option('--ensemble <n>', "nets trained with different seeds whose scores are averaged (default: the preset's; 1 = a single net)", intArg(1, 64))
    .addOption(
      new Option(
        '--threshold-mode <mode>',
        `the model's threshold: fixed (${presetConfig(DEFAULT_SPEAKER_TRAIN.preset).detect.fixedThreshold}), or chosen on the held-out broadcast: eer-normal / eer (equal-error point of normal fits / empirical), max-f1, low-fa (default: the preset's, ${presetConfig(DEFAULT_SPEAKER_TRAIN.preset).detect.thresholdMode})`,
      ).choices(['fixed', 'eer-normal', 'eer', 'max-f1', 'low-fa']),
    )
    .addOption(
      new Option(
        '--per-file-calibration <on|off>',
        `calibrate the threshold per file at detection, on the file's own score distribution (default: the preset's, ${presetConfig(DEFAULT_SPEAKER_TRAIN.preset).detect.calibration ? 'on' : 'off'})`,
      ).choices(['on', 'off']),
    )
    .action(
      async (o: {
        target: string[];
        others: string[];
        out: string;
        preset: PresetName;
        steps?: number;
        seed?: number;
        minTargetSeconds?: number;
        ensemble?: number;
        thresholdMode?: ThresholdMode;
        perFileCalibration?: 'on' | 'off';
      }) => {
        const [{ trainSpeakerModel }, { thresholdCandidates }] = await loadTrain();
        const model = await trainSpeakerModel(o.target, o.others, {
          preset: o.preset,
          steps: o.steps,
          seed: o.seed,
          minTargetSeconds: o.minTargetSeconds,
          ensemble: o.ensemble,
          thresholdMode: o.thresholdMode,
          perFileCalibration: o.perFileCalibration === undefined ? undefined : o.perFileCalibration === 'on',
          progress: createProgress(),
          log: warn,
        });
        model.save(o.out);
        const t = model.meta.training;
        const h = t.heldOut;
        process.stdout.write(
          `${JSON.stringify({ out: o.out, preset: o.preset, threshold: model.meta.threshold, thresholdMode: model.config.detect.thresholdMode, heldOutEer: h.eer, thresholdCandidates: thresholdCandidates(h, model.config.detect.fixedThreshold), targetSeconds: t.targetSeconds, speakers: t.speakers, otherSpeakers: t.otherSpeakers, ensemble: model.members.length, trainSeconds: t.seconds, warnings: t.warnings }, null, 2)}\n`,
        );
        model.dispose();
      },
    );

  speaker
    .command('detect')
    .description("time markers where the model's voice speaks in FILE (streamed, any length)")
    .argument('[file]', 'audio file (WAV natively, anything else through ffmpeg); - for stdin', '-')
    .requiredOption('--model <dir>', 'model directory from `leanml speaker train`')
    .addOption(
      new Option('--format <fmt>', 'output format (audacity: a label track for File > Import > Labels)').choices(DETECT_FORMATS).default(DEFAULT_DETECT_FORMAT),
    )
    .option(
      '--threshold <x>',
      "decision threshold, used as given (default: the model's, calibrated per file on the file's own score distribution when the model says so)",
      floatArg(-2, 2),
    )
    .option(
      '--report <out.html>',
      'also write an HTML report: score curve, loudness strip and time axis with zoom, the segments to play and to download (Audacity labels, RTTM, CSV, JSON)',
    )
    .option('--embed-audio', 'put the recording inside the report (files up to 25 MiB) instead of linking it by a relative path')
    .action(async (file: string, o: { model: string; format: DetectFormat; threshold?: number; report?: string; embedAudio?: boolean }) => {
      const [{ detectSpeaker }, { loadSpeakerModel }, { formatDetection }, { writeReport }] = await loadDetect();
      const model = await loadSpeakerModel(o.model);
      try {
        await withInputFile(file, async (path) => {
          const r = await detectSpeaker(model, path, { threshold: o.threshold, log: warn });
          const uri = file === '-' ? 'stdin' : basename(file).replace(/\.[^.]*$/, '');
          process.stdout.write(formatDetection(r, o.format, uri));
          if (o.report) writeReport(o.report, r, { audioPath: file === '-' ? null : file, title: basename(file), embedAudio: o.embedAudio });
        });
      } finally {
        model.dispose();
      }
    });
}
