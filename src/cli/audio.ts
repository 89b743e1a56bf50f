/**
 * @module
 * `leanml audio ...`: decode, resample, mel spectrograms equal to torchaudio.
 */
import type { Command } from 'commander';
import { addGroup } from './group.js';

export function registerAudio(program: Command): void {
  addGroup(program, 'audio', 'decode, resample, mel spectrograms equal to torchaudio');
}
