/**
 * @module
 * `requireTool`: tests that need a program outside Node (a browser, ffmpeg, a Redis server)
 * skip with a reason naming the Debian package to install when it is absent, so that
 * `npm ci && npm test` passes on a machine with only Node. With `LEANML_REQUIRE_TOOLS=1`
 * (set by CI, which installs them) a missing tool is a failure instead of a skip.
 *
 * @example
 * ```ts
 * const skip = requireTool(CHROMIUM);
 * describe('the page in a browser', { skip }, () => { ... });
 * ```
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SystemTool {
  /** What the skip message calls it, e.g. `chromium`. */
  name: string;
  /** An absolute path that must exist and be executable (e.g. the browser binary). */
  path?: string;
  /** Commands that must be found on `PATH` (e.g. `['ffmpeg', 'ffprobe']`). */
  command?: string | readonly string[];
  /** The Debian package that provides it (`apt-get install PACKAGE`). */
  debianPackage: string;
}

/** Headless browser for page and report tests; `LEANML_CHROMIUM` points elsewhere. */
export const CHROMIUM: SystemTool = Object.freeze({
  name: 'chromium',
  path: process.env['LEANML_CHROMIUM'] || '/usr/bin/chromium',
  debianPackage: 'chromium',
});

/**
 * Chromium's launch flags for tests: headless as root, and no background connections (this
 * machine's network is closed, and Chromium would otherwise try many at every start).
 */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);

/** ffmpeg and ffprobe, which decode every format besides WAV. */
export const FFMPEG: SystemTool = Object.freeze({ name: 'ffmpeg', command: ['ffmpeg', 'ffprobe'], debianPackage: 'ffmpeg' });

/** A Redis server for queue tests. */
export const REDIS_SERVER: SystemTool = Object.freeze({ name: 'redis-server', command: 'redis-server', debianPackage: 'redis-server' });

/** True when a missing tool must fail the run (CI sets `LEANML_REQUIRE_TOOLS=1`). */
export function toolsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['LEANML_REQUIRE_TOOLS'] === '1';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `command` on `PATH` (or `command` itself when it contains a slash), else undefined. */
export function findOnPath(command: string, pathVar: string = process.env['PATH'] ?? ''): string | undefined {
  if (command.includes('/')) return isExecutable(command) ? command : undefined;
  for (const dir of pathVar.split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, command);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/** What is missing of `tool` (an empty list when it is all there). */
export function missingParts(tool: SystemTool, env: NodeJS.ProcessEnv = process.env): string[] {
  const missing: string[] = [];
  if (tool.path !== undefined && !isExecutable(tool.path)) missing.push(tool.path);
  const commands = tool.command === undefined ? [] : typeof tool.command === 'string' ? [tool.command] : tool.command;
  for (const c of commands) if (findOnPath(c, env['PATH'] ?? '') === undefined) missing.push(`${c} (not on PATH)`);
  return missing;
}

/**
 * Undefined when `tool` is present (run the test); otherwise the skip reason, e.g.
 * `chromium is not installed (/usr/bin/chromium missing): apt-get install chromium`, which is
 * also printed to stderr once so it shows in any reporter. Throws instead when
 * `LEANML_REQUIRE_TOOLS=1`, so a CI run without the tool fails rather than skipping.
 */
export function requireTool(
  tool: SystemTool,
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (l) => process.stderr.write(l),
): string | undefined {
  const missing = missingParts(tool, env);
  if (missing.length === 0) return undefined;
  const reason = `${tool.name} is not installed (${missing.join(', ')} missing): apt-get install ${tool.debianPackage}`;
  if (toolsRequired(env)) throw new Error(`${reason} (LEANML_REQUIRE_TOOLS=1: a missing tool is a failure)`);
  log(`skip: ${reason}\n`);
  return reason;
}
