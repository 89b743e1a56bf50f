// Bundles what `@tensorflow/tfjs-core`'s Node build leaves out and leanml's `nn` needs: the
// gradient functions of every kernel (`tf.grad`, optimisers) and the chained tensor methods
// (`x.reshape(...)`). The union package `@tensorflow/tfjs` ships them inside a 140 MB install
// with layers, converter and data; this bundle is about 0.4 MB. Its ops share the tfjs-core
// engine and registries (TensorFlow.js keeps them global), so registration reaches the
// `@tensorflow/tfjs-core` that leanml imports. The Apache-2.0 license headers are kept.
// Usage: node scripts/bundle-tfjs-extras.mjs [OUT_DIR...]   (default: src/nn/generated; the build
// also writes dist/nn/generated). `src/nn/tf.ts` requires OUT_DIR/tfjs-extras.cjs.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const outDirs = process.argv.slice(2);
if (outDirs.length === 0) outDirs.push('src/nn/generated');
const contents = [
  "import '@tensorflow/tfjs-core/dist/register_all_gradients';",
  "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';",
].join('\n');
for (const dir of outDirs) {
  mkdirSync(dir, { recursive: true });
  await build({
    stdin: { contents, resolveDir: process.cwd(), sourcefile: 'tfjs-extras-entry.js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    legalComments: 'eof',
    outfile: join(dir, 'tfjs-extras.cjs'),
    logLevel: 'warning',
  });
}
