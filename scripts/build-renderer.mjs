// Bundles the page (renderer/ → dist/renderer/) and the Electron preload (a sandboxed preload
// must be one CommonJS file) with esbuild. Type-checking is tsc's job, run before this.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'renderer');
fs.mkdirSync(out, { recursive: true });

await build({
  entryPoints: [path.join(root, 'renderer', 'main.ts')],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome120'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
// The graph's layout worker (renderer/layout-worker.ts): its own file, loaded by `new Worker`.
await build({
  entryPoints: [path.join(root, 'renderer', 'layout-worker.ts')],
  outfile: path.join(out, 'layout-worker.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome120'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
fs.copyFileSync(path.join(root, 'renderer', 'index.html'), path.join(out, 'index.html'));
fs.copyFileSync(path.join(root, 'renderer', 'styles.css'), path.join(out, 'app.css'));
fs.copyFileSync(path.join(root, 'renderer', 'icon.svg'), path.join(out, 'icon.svg'));

await build({
  entryPoints: [path.join(root, 'electron', 'preload.ts')],
  outfile: path.join(root, 'dist', 'electron', 'preload.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: ['node20'],
  external: ['electron'],
  logLevel: 'warning',
});
