/**
 * Metadata records from the files reference managers and arXiv export:
 * BibTeX, RIS and CSL-JSON (read with citation-js), and arXiv metadata as
 * JSON Lines, JSON or CSV (the public snapshot's fields and common variants).
 */
import path from 'node:path';
import { SurveyorError } from '../core/errors.js';
import { arxivIdsIn, cleanArxivId } from './text.js';

export interface MetadataRecord {
  title: string | null;
  authors: string[];
  year: number | null;
  abstract: string | null;
  arxivId: string | null;
  doi: string | null;
  categories: string[];
}

export type FileFormat = 'bibtex' | 'ris' | 'csl-json' | 'arxiv-jsonl' | 'arxiv-json' | 'csv';

/** The format of a metadata file, from its extension and, for JSON, its first record. */
export function detectFormat(file: string, text: string): FileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.bib' || ext === '.bibtex') return 'bibtex';
  if (ext === '.ris') return 'ris';
  if (ext === '.jsonl' || ext === '.ndjson') return 'arxiv-jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'arxiv-json';
  const start = text.trimStart();
  if (start.startsWith('@')) return 'bibtex';
  if (/^TY {2}- /m.test(start.slice(0, 2000))) return 'ris';
  if (start.startsWith('[')) return 'arxiv-json';
  if (start.startsWith('{')) return 'arxiv-jsonl';
  throw new SurveyorError(
    'unknown-format',
    `${file}: not a metadata file Surveyor reads (BibTeX .bib, RIS .ris, CSL-JSON or arXiv .json, arXiv .jsonl, .csv)`,
  );
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }

  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

/** A list given as a JSON array, a Python list literal (`['a', 'b']`), or a delimited string. */
export function parseList(value: unknown, split: RegExp): string[] {
  if (Array.isArray(value)) return value.map((v) => nameOf(v)).filter((v): v is string => !!v);
  if (typeof value !== 'string') return [];
  const s = value.trim();
  if (s.startsWith('[') && s.endsWith(']')) {
    const items = [...s.slice(1, -1).matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) =>
      (m[1] ?? m[2]).replace(/\\(.)/g, '$1'),
    );
    if (items.length > 0 || s === '[]') return items.map((x) => x.trim()).filter(Boolean);
  }

  return s
    .split(split)
    .map((x) => x.trim())
    .filter(Boolean);
}

function nameOf(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.name === 'string') return o.name;
    if (typeof o.literal === 'string') return o.literal;
    const name = [o.given, o.family].filter((x) => typeof x === 'string').join(' ');

    return name || null;
  }

  return null;
}

function clean(s: unknown): string | null {
  if (typeof s !== 'string' && typeof s !== 'number') return null;
  const out = String(s).replace(/\s+/g, ' ').trim();

  return out || null;
}

/** The year an arXiv id was submitted (`1706.03762` → 2017, `cs/0501001` → 2005). */
export function yearOfArxivId(id: string): number | null {
  const m = id.match(/^(\d{2})(\d{2})\.\d{4,5}$/) ?? id.match(/\/(\d{2})(\d{2})\d{3}$/);
  if (!m) return null;
  const yy = Number(m[1]);

  return yy >= 91 ? 1900 + yy : 2000 + yy;
}

function arxivIdOf(value: unknown): string | null {
  const s = clean(value);
  if (!s) return null;
  if (/^\d{4}\.\d{4,5}(v\d+)?$/.test(s) || /^[a-z-]+(\.[A-Z]{2})?\/\d{7}(v\d+)?$/.test(s)) return cleanArxivId(s);

  return arxivIdsIn(s)[0] ?? null;
}

/** arXiv categories split on spaces ("cs.CL cs.AI"); a field named in words ("computer science") stays whole. */
function parseCategories(value: unknown): string[] {
  const list = parseList(value, /\s*[,;]\s*/);

  return list.flatMap((c) => {
    const parts = c.split(/\s+/);

    return parts.every((p) => /^[a-z-]+(\.[A-Za-z-]+)?$/.test(p) && (p.includes('.') || p.includes('-'))) ? parts : [c];
  });
}

/** One arXiv-style object: `id`, `title`, `abstract` or `summary`, `categories` (string or list), `authors`. */
export function recordFromArxiv(o: Record<string, unknown>): MetadataRecord {
  const arxivId = arxivIdOf(o.id ?? o.arxiv_id ?? o.arxivId ?? o.index);
  const categories = parseCategories(o.categories ?? o.tags ?? o.category);
  const authors = parseList(o.authors ?? o.author, /\s*(?:;|,| and )\s*/);
  const year =
    Number(o.year) ||
    (typeof o.published === 'string' ? Number(o.published.slice(0, 4)) || null : null) ||
    (arxivId ? yearOfArxivId(arxivId) : null);

  return {
    title: clean(o.title),
    authors,
    year: year || null,
    abstract: clean(o.abstract ?? o.summary),
    arxivId,
    doi: clean(o.doi)?.toLowerCase() ?? null,
    categories,
  };
}

/** One CSL-JSON item (what citation-js makes of BibTeX and RIS, and what Zotero exports). */
export function recordFromCsl(o: Record<string, unknown>): MetadataRecord {
  const issued = o.issued as { 'date-parts'?: unknown[][] } | undefined;
  const doi = clean(o.DOI)?.toLowerCase() ?? null;
  const fromDoi = doi?.match(/^10\.48550\/arxiv\.(.+)$/)?.[1];
  const arxivId =
    (fromDoi ? cleanArxivId(fromDoi) : null) ??
    [o.URL, o.number, o['container-title'], o.note, o.archive_location, o.eprint].map(arxivIdOf).find(Boolean) ??
    null;
  const year = Number(issued?.['date-parts']?.[0]?.[0]) || (arxivId ? yearOfArxivId(arxivId) : null);
  const keywords = parseList(o.keyword, /\s*[,;]\s*/);

  return {
    title: clean(o.title),
    authors: parseList(o.author, /\s*;\s*/),
    year: year || null,
    abstract: clean(o.abstract),
    arxivId,
    doi: fromDoi ? null : doi,
    categories: keywords.filter((k) => /^[a-z-]+(\.[A-Za-z-]+)?$/.test(k) && /\./.test(k)),
  };
}

function isCsl(o: Record<string, unknown>): boolean {
  return (
    'issued' in o || 'DOI' in o || 'container-title' in o || (Array.isArray(o.author) && typeof o.type === 'string')
  );
}

/** Records of one file. Throws a SurveyorError naming the file (and line or row) when it cannot be read. */
export async function readMetadataFile(file: string, text: string): Promise<MetadataRecord[]> {
  const format = detectFormat(file, text);
  if (format === 'bibtex' || format === 'ris') {
    const { Cite } = await import('@citation-js/core');
    await import(format === 'bibtex' ? '@citation-js/plugin-bibtex' : '@citation-js/plugin-ris');
    let cite;
    try {
      cite = await Cite.async(text);
    } catch (err) {
      const kind = format === 'bibtex' ? 'BibTeX' : 'RIS';
      throw new SurveyorError(
        'bad-metadata',
        `${file}: no ${kind} entry could be read (citation-js: ${(err as Error).message})`,
      );
    }

    return cite.data.map(recordFromCsl);
  }

  if (format === 'arxiv-jsonl') {
    return text.split('\n').flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [recordFromArxiv(JSON.parse(line) as Record<string, unknown>)];
      } catch {
        throw new SurveyorError('bad-metadata', `${file}: line ${i + 1} is not a JSON object`);
      }
    });
  }

  if (format === 'arxiv-json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new SurveyorError('bad-metadata', `${file}: not valid JSON (${(err as Error).message})`);
    }
    const items = Array.isArray(data)
      ? data
      : data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items)
        ? (data as { items: unknown[] }).items
        : [data];

    return items
      .filter((o): o is Record<string, unknown> => !!o && typeof o === 'object')
      .map((o) => (isCsl(o) ? recordFromCsl(o) : recordFromArxiv(o)));
  }

  const rows = parseCsv(text);
  if (rows.length < 1) return [];
  const header = rows[0].map((h) => h.trim().toLowerCase());
  if (!header.includes('title'))
    throw new SurveyorError('bad-metadata', `${file}: a CSV needs a "title" column (found: ${header.join(', ')})`);

  return rows.slice(1).map((r) => recordFromArxiv(Object.fromEntries(header.map((h, i) => [h, r[i]]))));
}
