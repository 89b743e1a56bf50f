/**
 * @module
 * `leanml fasttext ...`: read fastText .bin/.ftz models: vectors, neighbours, predict.
 */
import type { Command } from 'commander';
import { addGroup } from './group.js';

export function registerFasttext(program: Command): void {
  addGroup(program, 'fasttext', 'read fastText .bin/.ftz models: vectors, neighbours, predict');
}
