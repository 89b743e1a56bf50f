/**
 * @module
 * The ordered list of demo steps; each module adds its own.
 */
import type { DemoStep } from './index.js';
import { coreStep } from './core-step.js';
import { serveStep } from './serve-step.js';
import { fasttextStep } from './fasttext-step.js';

export const DEMO_STEPS: DemoStep[] = [coreStep, fasttextStep, serveStep];
