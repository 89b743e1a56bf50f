// Writes the fasttext demo page (examples/fasttext-web) with leanml/fasttext/web bundled into one
// browser module, into OUTDIR: `node --import tsx scripts/bundle-web.ts OUTDIR`, then put lid.176.ftz and a
// store beside it and `leanml serve --files OUTDIR`.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the web entry point (platform browser: a Node built-in on its graph fails the build) and copies the page. */
export async function bundleWeb(out: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(root, 'src/fasttext/web.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(out, 'leanml-fasttext-web.js'),
    logLevel: 'error',
  });
  for (const f of ['index.html', 'page.js']) copyFileSync(join(root, 'examples/fasttext-web', f), join(out, f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv[2]) {
    console.error('usage: node --import tsx scripts/bundle-web.ts OUTDIR');
    process.exit(2);
  }
  await bundleWeb(process.argv[2]);
}
