/**
 * @module
 * `leanml serve`: one HTTP service for all loaded models.
 */
import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program.command('serve').description('one HTTP service for all loaded models');
}
