/**
 * @module
 * The ordered list of demo steps; each module adds its own.
 */
import type { DemoStep } from './index.js';
import { coreStep } from './core-step.js';
import { linearStep } from './linear-step.js';
import { fasttextStep } from './fasttext-step.js';
import { audioStep } from './audio-step.js';
import { nnStep } from './nn-step.js';
import { speakerStep } from './speaker-step.js';
import { textStep } from './text-step.js';
import { serveStep } from './serve-step.js';

export const DEMO_STEPS: DemoStep[] = [coreStep, linearStep, fasttextStep, audioStep, nnStep, textStep, speakerStep, serveStep];
