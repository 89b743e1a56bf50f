/**
 * The package as a user installs it: `npm pack`, then `npm ci --offline` into an empty project
 * (from npm's cache, which the repository's own `npm ci` filled), once with leanml alone and once
 * with the TensorFlow.js peers. Checks the install size of the pure-TypeScript modules, that
 * every subpath imports, that `leanml/nn` without TensorFlow.js says what to install, that the
 * published types pass `tsc` with `skipLibCheck: false`, and that gradients work from the
 * packed build. Skipped, with the reason, when npm's cache cannot serve the install (unless
 * LEANML_REQUIRE_TOOLS=1).
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { toolsRequired } from '../helpers/system-tool.js';
import { consumerLock, type Lockfile } from './consumer-lock.js';

/** The most that core, linear, fasttext, audio and serve may take installed without TensorFlow.js. */
const LEAN_INSTALL_MAX_BYTES = 40 * 1024 * 1024;
const ROOT = resolve('.');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dir = mkdtempSync(join(tmpdir(), 'leanml-pack-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The environment for npm without the variables `npm test` sets for its own run. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || /^npm_config_cache$/i.test(k)) env[k] = v;
  return env;
}

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: 300_000 });
}

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = 0;
  for (const name of readdirSync(path)) if (name !== 'generated') m = Math.max(m, newestMtime(join(path, name)));
  return m;
}

/** Apparent size of a directory tree in bytes. */
function treeBytes(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  let n = 0;
  for (const name of readdirSync(path)) n += treeBytes(join(path, name));
  return n;
}

/** Lays out the consumer project and runs `npm ci --offline`; a reason string when npm's cache cannot serve it. */
function install(t: TestContext, project: string, tarball: string, extra: Record<string, string>): boolean {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const rel = `../${tarball.split('/').pop()}`;
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { leanml: `file:${rel}`, ...extra } }, null, 2),
  );
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(consumerLock(lock, pkg, rel, integrity, extra), null, 2));
  const r = run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], project);
  if (r.status === 0) return true;
  const why = `npm ci --offline could not install from npm's cache (${/ENOTCACHED|ENOTFOUND|EAI_AGAIN/.exec(r.stderr)?.[0] ?? `exit ${r.status}`}): run npm ci in the repository first`;
  if (toolsRequired() || !/ENOTCACHED|ENOTFOUND|EAI_AGAIN/.test(r.stderr)) assert.fail(`${why}\n${r.stderr}`);
  t.skip(why);
  return false;
}

function tsc(project: string, files: string[]): void {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true },
      files,
    }),
  );
  const r = run(process.execPath, [TSC, '-p', '.'], project);
  assert.equal(r.status, 0, `tsc with skipLibCheck: false in a consumer project:\n${r.stdout}${r.stderr}`);
}

function node(project: string, file: string, code: string): string {
  writeFileSync(join(project, file), code);
  const r = run(process.execPath, [file], project);
  assert.equal(r.status, 0, `${file}:\n${r.stderr}`);
  return r.stdout;
}

describe('the packed package installed into an empty project', () => {
  let tarball: string;

  it('packs dist and data, without tests or test helpers', () => {
    // a checkout whose dist/ is older than its sources is rebuilt first (npm ci builds it)
    if (!existsSync('dist/cli/main.js') || newestMtime('src') > statSync('dist/cli/main.js').mtimeMs) {
      assert.equal(run(process.execPath, ['scripts/build.mjs'], ROOT).status, 0, 'npm run build');
    }
    const r = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    assert.equal(r.status, 0, r.stderr);
    const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, info!.filename);
    const paths = info!.files.map((f) => f.path);
    assert.ok(paths.includes('dist/nn/generated/tfjs-extras.cjs'), 'the tfjs-core extras bundle is packed');
    assert.ok(paths.includes('LICENSE'), 'LICENSE is packed');
    assert.deepEqual(
      paths.filter((p) => /\.test\.|test-helpers|^src\/|^test\/|^bench\//.test(p)),
      [],
    );
  });

  it(`without TensorFlow.js: at most ${LEAN_INSTALL_MAX_BYTES / 2 ** 20} MB, every pure module imports and typechecks, nn says what to install`, (t) => {
    const project = join(dir, 'lean');
    if (!install(t, project, tarball, { '@types/node': '^20.19.43' })) return;
    const bytes = treeBytes(join(project, 'node_modules')) - treeBytes(join(project, 'node_modules', '@types'));
    t.diagnostic(`node_modules without @types: ${(bytes / 2 ** 20).toFixed(1)} MB`);
    assert.ok(bytes <= LEAN_INSTALL_MAX_BYTES, `install is ${(bytes / 2 ** 20).toFixed(1)} MB`);
    assert.equal(existsSync(join(project, 'node_modules', '@tensorflow')), false, 'no TensorFlow.js package installed');
    const out = node(
      project,
      'lean.mjs',
      `for (const m of ['leanml', 'leanml/core', 'leanml/linear', 'leanml/fasttext', 'leanml/audio', 'leanml/serve']) console.log(m, Object.keys(await import(m)).length > 0);
try { await import('leanml/nn'); console.log('nn loaded'); } catch (e) { console.log('nn:', e.name, e.message); }`,
    );
    assert.match(out, /leanml\/serve true/);
    assert.doesNotMatch(out, / false/);
    assert.match(out, /nn: MissingPackageError .*@tensorflow\/tfjs-core.*npm install @tensorflow\/tfjs-core @tensorflow\/tfjs-backend-wasm/);
    writeFileSync(
      join(project, 'lean.ts'),
      `import { VERSION, LeanmlError } from 'leanml';
import { topK } from 'leanml/core';
import { trainLinear, loadLinearModel } from 'leanml/linear';
import { openFastText } from 'leanml/fasttext';
import { logMelFile, writeWav } from 'leanml/audio';
import { createServer, loadModels } from 'leanml/serve';
export const all = [VERSION, LeanmlError, topK, trainLinear, loadLinearModel, openFastText, logMelFile, writeWav, createServer, loadModels];
`,
    );
    tsc(project, ['lean.ts']);
  });

  it('with @tensorflow/tfjs-core and -backend-wasm: nn and speaker import and typecheck, gradients work', (t) => {
    const project = join(dir, 'full');
    if (!install(t, project, tarball, { '@types/node': '^20.19.43', '@tensorflow/tfjs-core': '^4.22.0', '@tensorflow/tfjs-backend-wasm': '^4.22.0' })) return;
    const out = node(
      project,
      'nn.mjs',
      `import { initBackend, tf } from 'leanml/nn';
await import('leanml/speaker');
console.log(await initBackend());
const g = tf.grad((x) => tf.relu(tf.conv1d(x.reshape([1, 4, 1]), tf.ones([2, 1, 1]), 1, 'valid')).sum());
console.log(JSON.stringify(Array.from(await g(tf.tensor([1, -1, 2, 3])).data())));`,
    );
    // d/dx of sum(relu(x[i] + x[i+1])): the first window sums to 0 (relu's gradient there is 0)
    assert.match(out, /^wasm\n\[0,1,2,1\]\n$/);
    writeFileSync(
      join(project, 'nn.ts'),
      `import { initBackend, tf, EmbeddingBag } from 'leanml/nn';
import { loadSpeakerModel } from 'leanml/speaker';
export const all = [initBackend, EmbeddingBag, loadSpeakerModel];
export function total(x: tf.Tensor2D): tf.Scalar {
  return tf.sum(x);
}
`,
    );
    tsc(project, ['nn.ts']);
  });
});
