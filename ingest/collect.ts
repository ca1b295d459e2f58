/** Expands the paths a user gives (files and folders, recursively) into PDF files. */
import fs from 'node:fs';
import path from 'node:path';

export interface Collected {
  files: string[];
  /** Paths that could not be used, with the reason (missing, a symlink loop…). */
  problems: { file: string; error: string; code: string }[];
}

export function collectPdfs(inputs: string[]): Collected {
  const files: string[] = [];
  const problems: Collected['problems'] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const addFile = (p: string) => {
    const real = safeRealpath(p) ?? p;
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(p);
  };

  const walk = (dir: string) => {
    const real = safeRealpath(dir);
    if (real === null) {
      problems.push({ file: dir, code: 'unreadable-folder', error: `${dir}: cannot resolve the folder` });
      return;
    }
    if (seenDirs.has(real)) return; // a symlink loop or a folder reached twice
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      const error = `${dir}: cannot list the folder (${(err as Error).message})`;
      problems.push({ file: dir, code: 'unreadable-folder', error });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      let st: fs.Stats;
      try {
        st = fs.statSync(p);
      } catch {
        if (e.isSymbolicLink()) problems.push({ file: p, code: 'broken-link', error: `${p}: a broken symbolic link` });
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && /\.pdf$/i.test(e.name)) addFile(p);
    }
  };

  for (const input of inputs) {
    const p = path.resolve(input);
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      problems.push({ file: p, code: 'missing', error: `${p}: no such file or folder` });
      continue;
    }
    if (st.isDirectory()) walk(p);
    else addFile(p);
  }

  return { files, problems };
}

function safeRealpath(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}
