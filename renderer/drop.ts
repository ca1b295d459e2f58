/**
 * What was dropped, as files. In the browser a dropped folder arrives as an entry to walk; the
 * desktop app hands folders to main as paths, which ingest walks itself.
 */

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries answers in batches (about 100 at a time) until it returns an empty one.
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (!batch.length) return resolve(out);
        out.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    if (/\.pdf$/i.test(file.name)) out.push(file);
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, out);
  }
}

export async function collectDropped(dt: DataTransfer, asIs: boolean): Promise<File[]> {
  if (asIs) return [...dt.files];
  const entries = [...dt.items].map((i) => (i.kind === 'file' ? i.webkitGetAsEntry() : null));
  if (entries.every((e) => e === null)) return [...dt.files];
  const out: File[] = [];
  for (const [i, entry] of entries.entries()) {
    if (entry) await walk(entry, out);
    else {
      const f = dt.items[i]?.getAsFile();
      if (f) out.push(f);
    }
  }

  return out;
}
