// `npm run build`: a fresh dist/ (no stale files from renamed sources), compiled from src/ without
// tests and test helpers, plus the tfjs-core extras bundle that nn needs; the CLI made executable.
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

function run(args) {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync('dist', { recursive: true, force: true });
run([createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
run(['scripts/bundle-tfjs-extras.mjs', 'src/nn/generated', 'dist/nn/generated']);
chmodSync('dist/cli/main.js', 0o755);
