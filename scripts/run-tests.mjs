// Runs every *.test.ts under src/ and test/ with Node's built-in test runner (TypeScript via tsx).
// Usage: node scripts/run-tests.mjs [substring filters...]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk('src', walk('test', []))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
// nn needs the tfjs-core extras bundle, which the build makes; make it here when a checkout has not built yet.
if (!existsSync('src/nn/generated/tfjs-extras.cjs')) {
  const g = spawnSync(process.execPath, ['scripts/bundle-tfjs-extras.mjs'], { stdio: 'inherit' });
  if (g.status !== 0) process.exit(g.status ?? 1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
