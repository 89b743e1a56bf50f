// requireTool: present tools run, absent ones skip naming the Debian package, or fail when required.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findOnPath, requireTool, type SystemTool } from './system-tool.js';

const dir = mkdtempSync(join(tmpdir(), 'leanml-system-tool-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const fake = join(dir, 'fake-tool');
writeFileSync(fake, '#!/bin/sh\n');
chmodSync(fake, 0o755);
const notExecutable = join(dir, 'plain-file');
writeFileSync(notExecutable, '');

describe('requireTool', () => {
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);

  it('returns undefined when the path and the commands are there', () => {
    const tool: SystemTool = { name: 'fake', path: fake, command: 'fake-tool', debianPackage: 'fake-pkg' };
    assert.equal(requireTool(tool, { PATH: dir }, log), undefined);
    assert.equal(findOnPath('fake-tool', `/nonexistent:${dir}`), fake);
    assert.deepEqual(lines, []);
  });

  it('gives a skip reason naming what is missing and the Debian package, and logs it', () => {
    const tool: SystemTool = { name: 'browser', path: join(dir, 'no-browser'), command: ['fake-tool', 'other-tool'], debianPackage: 'chromium' };
    const reason = requireTool(tool, { PATH: dir }, log);
    assert.equal(reason, `browser is not installed (${join(dir, 'no-browser')}, other-tool (not on PATH) missing): apt-get install chromium`);
    assert.deepEqual(lines, [`skip: ${reason}\n`]);
  });

  it('a file that is not executable does not count', () => {
    assert.match(requireTool({ name: 'x', path: notExecutable, debianPackage: 'x' }, {}, log) ?? '', /plain-file missing/);
    assert.equal(findOnPath(notExecutable), undefined);
  });

  it('throws instead when LEANML_REQUIRE_TOOLS=1', () => {
    const tool: SystemTool = { name: 'redis-server', command: 'redis-server', debianPackage: 'redis-server' };
    assert.throws(
      () => requireTool(tool, { PATH: dir, LEANML_REQUIRE_TOOLS: '1' }, log),
      /redis-server is not installed .*apt-get install redis-server \(LEANML_REQUIRE_TOOLS=1/,
    );
    assert.equal(requireTool({ ...tool, command: 'fake-tool' }, { PATH: dir, LEANML_REQUIRE_TOOLS: '1' }, log), undefined);
  });
});
