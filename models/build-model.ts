/**
 * `node dist/models/build-model.js [--force]`: builds the default ONNX model (run by
 * `npm run prepare` after the TypeScript build; quick when the build is current).
 */
import { ensureDefaultModel } from './default-model.js';

const report = ensureDefaultModel(undefined, { force: process.argv.includes('--force') });
const what = report.built ? `built in ${(report.ms / 1000).toFixed(1)} s` : 'up to date';
process.stdout.write(`surveyor: default model ${what}: ${report.dir}\n`);
