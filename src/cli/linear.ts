/**
 * @module
 * `leanml linear ...`: sparse online linear classifiers (hinge-loss SGD, logistic).
 */
import type { Command } from 'commander';
import { addGroup } from './group.js';

export function registerLinear(program: Command): void {
  addGroup(program, 'linear', 'sparse online linear classifiers (hinge-loss SGD, logistic)');
}
