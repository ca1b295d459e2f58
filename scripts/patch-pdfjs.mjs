// Writes dist/vendor/pdf.worker.text-only.mjs: pdf.js's worker bundle (legacy build) changed
// for reading text only. Surveyor never draws a glyph, yet pdf.js compiles every embedded Type1
// and CFF font into an OpenType file for a browser's font engine (disableFontFace only stops it
// being loaded afterwards), and arXiv's LaTeX fonts are mostly Type1. Two more changes cut
// allocations on the per-glyph path. Each is described beside its text below.
//
// Each change is an exact text replacement that must match once. If pdfjs-dist changes and
// one no longer matches, nothing is written, this prints why, and ingestion uses the stock
// bundle (slower, same text); tests/pdf-worker-bundle.test.ts then fails so that CI says so.
// The same test reads every fixture with both bundles and requires the same text items.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const source = require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');
const version = require('pdfjs-dist/package.json').version;
const outDir = path.join(root, 'dist', 'vendor');
const out = path.join(outDir, 'pdf.worker.text-only.mjs');

const patches = [
  {
    what: 'Type1 fonts: skip building the CFF program (charstrings for drawing)',
    find:
      '    const type2Charstrings = this.getType2Charstrings(charstrings);\n' +
      '    const subrs = this.getType2Subrs(data.subrs);\n' +
      '    this.charstrings = charstrings;\n' +
      '    this.data = this.wrap(name, type2Charstrings, this.charstrings, subrs, properties);\n',
    replace:
      '    this.charstrings = charstrings;\n' +
      '    this.data = null; // surveyor text-only: no CFF program, nothing is drawn\n',
  },
  {
    what: 'Type1/CFF fonts: skip writing the OpenType file once the glyph mapping is known',
    find:
      '    const unitsPerEm = properties.fontMatrix ? 1 / Math.max(...properties.fontMatrix.slice(0, 4).map(Math.abs)) : 1000;\n' +
      '    const builder = new OpenTypeFileBuilder("\\x4F\\x54\\x54\\x4F");\n',
    replace:
      '    return null; // surveyor text-only: the OpenType file is only for drawing\n' +
      '    const unitsPerEm = properties.fontMatrix ? 1 / Math.max(...properties.fontMatrix.slice(0, 4).map(Math.abs)) : 1000;\n' +
      '    const builder = new OpenTypeFileBuilder("\\x4F\\x54\\x54\\x4F");\n',
  },
  {
    // Called several times per glyph. Same arithmetic in the same order as
    // Util.transform(ctm, Util.transform(textMatrix, tsm)), zeros included, so every
    // position is bit-for-bit the same; it only skips two short-lived arrays per call.
    what: 'text positions: no intermediate matrices per glyph',
    find:
      '      return Util.transform(textState.ctm, Util.transform(textState.textMatrix, tsm));\n' +
      '    }\n' +
      '    function ensureTextContentItem() {\n',
    replace:
      '      const m = textState.textMatrix, c = textState.ctm;\n' +
      '      const a0 = m[0] * tsm[0] + m[2] * tsm[1], a1 = m[1] * tsm[0] + m[3] * tsm[1];\n' +
      '      const a2 = m[0] * tsm[2] + m[2] * tsm[3], a3 = m[1] * tsm[2] + m[3] * tsm[3];\n' +
      '      const a4 = m[0] * tsm[4] + m[2] * tsm[5] + m[4], a5 = m[1] * tsm[4] + m[3] * tsm[5] + m[5];\n' +
      '      return [c[0] * a0 + c[2] * a1, c[1] * a0 + c[3] * a1, c[0] * a2 + c[2] * a3, c[1] * a2 + c[3] * a3, c[0] * a4 + c[2] * a5 + c[4], c[1] * a4 + c[3] * a5 + c[5]];\n' +
      '    }\n' +
      '    function ensureTextContentItem() {\n',
  },
  {
    // Text states are cloned on every q (save) and font change. Object.create(this) chains each
    // clone to the one before, so no two states share a shape and every read of them goes slow.
    // Every field is an own property (class fields), so copying onto a fresh TextState holds the
    // same values; only the prototype chain differs, and nothing reads through it.
    what: 'text state clones: one shape instead of a prototype chain per save',
    find:
      '  clone() {\n' +
      '    const clone = Object.assign(Object.create(this), this);\n' +
      '    clone.textMatrix = this.textMatrix.slice();\n',
    replace:
      '  clone() {\n' +
      '    const clone = Object.assign(new TextState(), this);\n' +
      '    clone.textMatrix = this.textMatrix.slice();\n',
  },
];

fs.rmSync(out, { force: true });
let text = fs.readFileSync(source, 'utf8');
const failed = [];
for (const p of patches) {
  const first = text.indexOf(p.find);
  if (first < 0 || text.indexOf(p.find, first + 1) >= 0) {
    failed.push(`${p.what}: ${first < 0 ? 'not found' : 'found more than once'}`);
    continue;
  }
  text = text.slice(0, first) + p.replace + text.slice(first + p.find.length);
}
if (failed.length) {
  console.warn(
    `surveyor: pdfjs-dist ${version} does not take the text-only patch; ingestion will use the stock worker:\n  ` +
      failed.join('\n  '),
  );
} else {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(out, `// pdfjs-dist ${version} worker, text-only (scripts/patch-pdfjs.mjs); Apache-2.0, see pdfjs-dist/LICENSE\n` + text);
}
