/**
 * @module
 * A module's command group (`leanml linear`, `leanml fasttext`, ...): run bare, it prints its
 * usage on stderr and exits 2.
 */
import type { Command } from 'commander';

/** Adds `name` as a command group of `program`. */
export function addGroup(program: Command, name: string, description: string): Command {
  const group = program.command(name).description(description);
  group.action(() => group.help({ error: true }));
  return group;
}
