/**
 * @module
 * The ordered list of demo steps; each module adds its own.
 */
import type { DemoStep } from './index.js';
import { coreStep } from './core-step.js';
import { speakerStep } from './speaker-step.js';

export const DEMO_STEPS: DemoStep[] = [coreStep, speakerStep];
