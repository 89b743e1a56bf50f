/**
 * @module
 * `leanml speaker ...`: find where one voice speaks in long recordings.
 */
import type { Command } from 'commander';
import { addGroup } from './group.js';

export function registerSpeaker(program: Command): void {
  addGroup(program, 'speaker', 'find where one voice speaks in long recordings');
}
