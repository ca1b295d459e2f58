import fs from 'node:fs';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import ort from 'onnxruntime-node';
import { resolveLibraryPath } from '../../core/paths.js';
import { SurveyorError } from '../../core/errors.js';
import { openLibrary } from '../../db/library.js';
import { schemaVersion } from '../../db/migrate.js';
import { loadEncoder } from '../../models/encoder.js';
import { parseDevice } from '../../models/providers.js';
import { JSON_OPTION, LIBRARY_OPTION, printJson, type Command } from '../command.js';

interface LibraryInfo {
  path: string;
  exists: boolean;
  sizeBytes: number | null;
  schemaVersion: number | null;
  papers: number | null;
  /** Papers with a vector, by model id. */
  embeddings: { model: string; papers: number; dim: number }[];
  error?: string;
}

function libraryInfo(file: string): LibraryInfo {
  const info: LibraryInfo = {
    path: file,
    exists: fs.existsSync(file),
    sizeBytes: null,
    schemaVersion: null,
    papers: null,
    embeddings: [],
  };
  if (!info.exists) return info;
  info.sizeBytes = ['', '-wal'].reduce(
    (sum, ext) => sum + (fs.existsSync(file + ext) ? fs.statSync(file + ext).size : 0),
    0,
  );
  try {
    // Read-only: the doctor never creates or upgrades a library.
    const lib = openLibrary(file, { readonly: true });
    try {
      info.schemaVersion = schemaVersion(lib.db);
      info.papers = (lib.db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
      info.embeddings = lib.db
        .prepare(
          'SELECT model, count(*) AS papers, max(dim) AS dim FROM embeddings GROUP BY model ORDER BY papers DESC',
        )
        .all() as LibraryInfo['embeddings'];
    } finally {
      lib.close();
    }
  } catch (err) {
    info.error = err instanceof Error ? err.message : String(err);
  }

  return info;
}

/** The SQLite inside better-sqlite3 (the one the library files are written with). */
function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const pkg = (name: string): string => {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  const own = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };

  return {
    surveyor: own.version,
    node: process.versions.node,
    onnxruntime: ort.env.versions?.node ?? pkg('onnxruntime-node'),
    'better-sqlite3': pkg('better-sqlite3'),
    sqlite: sqliteVersion(),
    platform: `${process.platform}-${process.arch}`,
  };
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'what Surveyor runs with: library, model, execution provider (and why not the others), versions',
  usage: '[--model DIR] [--device auto|gpu|cpu] [--library FILE] [--json]',
  options: { ...LIBRARY_OPTION, ...JSON_OPTION, model: { type: 'string' }, device: { type: 'string' } },
  async run(args, ctx) {
    const device = parseDevice(args.values.device);
    const library = libraryInfo(resolveLibraryPath(args.values.library as string | undefined));
    let model: Record<string, unknown>;
    let provider: Record<string, unknown>;
    try {
      const enc = await loadEncoder({ model: args.values.model as string | undefined, device });
      model = {
        name: enc.name,
        id: enc.id,
        kind: enc.kind,
        dim: enc.dim,
        file: enc.modelFile,
        sizeBytes: fs.statSync(enc.modelFile).size,
        pooling: enc.pooling,
        maxTokens: enc.maxTokens,
      };
      provider = { device, inUse: enc.provider, attempts: enc.attempts };
      await enc.close();
    } catch (err) {
      if (!(err instanceof SurveyorError)) throw err;
      model = { error: err.message };
      provider = { device, inUse: null, error: err.message };
    }
    const report = { library, model, provider, versions: versions() };

    if (args.values.json) {
      printJson(ctx, report);
      return provider.inUse ? 0 : 1;
    }
    const out = ctx.stdout;
    const mb = (n: number | null) => (n === null ? '-' : `${(n / 1e6).toFixed(1)} MB`);
    out.write(`library   ${library.path} (${library.exists ? mb(library.sizeBytes) : 'not created yet'})\n`);
    if (library.papers !== null) out.write(`          ${library.papers} papers, schema ${library.schemaVersion}\n`);
    for (const e of library.embeddings) out.write(`          ${e.papers} embedded with ${e.model} (${e.dim}-d)\n`);
    if (library.error) out.write(`          cannot be read: ${library.error}\n`);
    if ('error' in model) out.write(`model     not loaded: ${String(model.error)}\n`);
    else {
      const size = mb(model.sizeBytes as number);
      out.write(`model     ${String(model.name)} (${String(model.id)}), ${String(model.dim)}-d, ${String(model.file)} (${size})\n`);
    }
    const attempts = (provider.attempts ?? []) as { provider: string; used: boolean; reason?: string }[];
    out.write(`provider  ${provider.inUse ?? 'none'} (device ${device})\n`);
    for (const a of attempts) if (!a.used) out.write(`          not ${a.provider}: ${a.reason}\n`);
    out.write(
      `versions  ${Object.entries(report.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}\n`,
    );

    return provider.inUse ? 0 : 1;
  },
};
