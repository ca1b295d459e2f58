/**
 * A tiny PDF writer for tests: real, valid PDF files built byte by byte (objects,
 * cross-reference table, trailer), so the tests can make the odd and hostile
 * input they need (2,000 pages, JavaScript actions, embedded files, a
 * decompression bomb, image-only pages) without keeping such files around.
 */
import zlib from 'node:zlib';

export interface FactoryPage {
  /** Lines of text, drawn top-down in Helvetica. */
  lines?: string[];
  fontSize?: number;
  /** Draw a small grey image instead of text (a scan without a text layer). */
  image?: boolean;
}

export interface FactoryOptions {
  pages: FactoryPage[];
  /** JavaScript run on open (an OpenAction) and named in the document's JavaScript tree. */
  javascript?: string;
  /** A file attached to the document (EmbeddedFiles name tree). */
  embeddedFile?: { name: string; data: Buffer };
  /** A link annotation on page 1 that opens this URI, and a Launch action for this program. */
  uriLink?: string;
  launch?: string;
  /** Adds a page whose content stream inflates to this many bytes (a decompression bomb). */
  bombBytes?: number;
  /**
   * Adds a page whose content stream decodes to this many bytes through two filters
   * (FlateDecode, then RunLengthDecode: 64 output bytes per 2 input bytes), which pdf.js
   * decodes synchronously in its own code rather than through the platform's inflater.
   */
  chainedBombBytes?: number;
  title?: string;
}

/** Escapes text for a PDF literal string. */
function pdfString(s: string): string {
  return `(${s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?')})`;
}

class Writer {
  private readonly objects: Buffer[] = [];

  /** Reserves an object number, to be filled in later (for forward references). */
  reserve(): number {
    this.objects.push(Buffer.alloc(0));

    return this.objects.length;
  }

  set(n: number, body: string | Buffer): void {
    this.objects[n - 1] = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  }

  add(body: string | Buffer): number {
    const n = this.reserve();
    this.set(n, body);

    return n;
  }

  stream(dict: string, data: Buffer): number {
    const head = Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1');

    return this.add(Buffer.concat([head, data, Buffer.from('\nendstream', 'latin1')]));
  }

  build(root: number, info?: number): Buffer {
    const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
    let offset = parts[0].length;
    const offsets: number[] = [];
    this.objects.forEach((body, i) => {
      offsets.push(offset);
      const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
      parts.push(obj);
      offset += obj.length;
    });
    const xref = [`xref\n0 ${this.objects.length + 1}\n`, '0000000000 65535 f \n'];
    for (const o of offsets) xref.push(`${String(o).padStart(10, '0')} 00000 n \n`);
    const infoRef = info ? ` /Info ${info} 0 R` : '';
    const trailer = `trailer\n<< /Size ${this.objects.length + 1} /Root ${root} 0 R${infoRef} >>\n`;
    parts.push(Buffer.from(xref.join('') + trailer + `startxref\n${offset}\n%%EOF\n`, 'latin1'));

    return Buffer.concat(parts);
  }
}

function textContent(lines: string[], size: number): Buffer {
  const ops = [`BT /F1 ${size} Tf ${size * 1.2} TL 72 740 Td`];
  for (const line of lines) ops.push(`${pdfString(line)} Tj T*`);
  ops.push('ET');

  return Buffer.from(ops.join('\n'), 'latin1');
}

/** Builds a complete PDF file from the options. */
export function makePdf(opts: FactoryOptions): Buffer {
  const w = new Writer();
  const catalog = w.reserve();
  const pagesNode = w.reserve();
  const font = w.add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const image = w.stream(
    '/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8',
    Buffer.alloc(64, 0x80),
  );

  const actions: string[] = [];
  if (opts.uriLink) actions.push(w.add(`<< /Type /Action /S /URI /URI ${pdfString(opts.uriLink)} >>`) + ' 0 R');
  if (opts.launch) {
    actions.push(w.add(`<< /Type /Action /S /Launch /F ${pdfString(opts.launch)} /NewWindow true >>`) + ' 0 R');
  }
  const annots = actions.map((a, i) =>
    w.add(`<< /Type /Annot /Subtype /Link /Rect [72 ${600 - i * 30} 300 ${620 - i * 30}] /Border [0 0 0] /A ${a} >>`),
  );

  const kids: number[] = [];
  const addPage = (contents: number, withImage: boolean, withAnnots: boolean) => {
    const res = `/Font << /F1 ${font} 0 R >>${withImage ? ` /XObject << /Im1 ${image} 0 R >>` : ''}`;
    const annotList = withAnnots && annots.length ? ` /Annots [${annots.map((a) => `${a} 0 R`).join(' ')}]` : '';
    kids.push(
      w.add(
        `<< /Type /Page /Parent ${pagesNode} 0 R /MediaBox [0 0 612 792] /Resources << ${res} >> ` +
          `/Contents ${contents} 0 R${annotList} >>`,
      ),
    );
  };
  opts.pages.forEach((p, i) => {
    const scan = Buffer.from('q 540 0 0 700 36 46 cm /Im1 Do Q', 'latin1');
    const body = p.image ? scan : textContent(p.lines ?? [], p.fontSize ?? 11);
    addPage(w.stream('', body), !!p.image, i === 0);
  });
  if (opts.bombBytes) {
    const bomb = zlib.deflateSync(Buffer.alloc(opts.bombBytes, 0x20), { level: 9 });
    addPage(w.stream('/Filter /FlateDecode', bomb), false, false);
  }
  if (opts.chainedBombBytes) {
    // Each run-length pair (129, space) stands for 128 spaces.
    const runs = Buffer.alloc(Math.ceil(opts.chainedBombBytes / 128) * 2);
    for (let i = 0; i < runs.length; i += 2) [runs[i], runs[i + 1]] = [129, 0x20];
    const data = zlib.deflateSync(Buffer.concat([runs, Buffer.from([128])]), { level: 9 });
    addPage(w.stream('/Filter [/FlateDecode /RunLengthDecode]', data), false, false);
  }
  w.set(pagesNode, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);

  const extra: string[] = [];
  const names: string[] = [];
  if (opts.javascript) {
    const js = w.add(`<< /Type /Action /S /JavaScript /JS ${pdfString(opts.javascript)} >>`);
    extra.push(`/OpenAction ${js} 0 R`, `/AA << /WC ${js} 0 R >>`);
    names.push(`/JavaScript << /Names [(open) ${js} 0 R] >>`);
  }
  if (opts.embeddedFile) {
    const ef = w.stream('/Type /EmbeddedFile', opts.embeddedFile.data);
    const spec = w.add(`<< /Type /Filespec /F ${pdfString(opts.embeddedFile.name)} /EF << /F ${ef} 0 R >> >>`);
    names.push(`/EmbeddedFiles << /Names [${pdfString(opts.embeddedFile.name)} ${spec} 0 R] >>`);
  }
  if (names.length) extra.push(`/Names << ${names.join(' ')} >>`);
  w.set(catalog, `<< /Type /Catalog /Pages ${pagesNode} 0 R ${extra.join(' ')} >>`);
  const info = opts.title ? w.add(`<< /Title ${pdfString(opts.title)} /Producer (surveyor tests) >>`) : undefined;

  return w.build(catalog, info);
}

/** A page of ordinary prose, enough to count as a text layer. */
export function prosePage(n: number, words = 120): FactoryPage {
  const lines: string[] = [];
  const vocabulary = ['survey', 'model', 'attention', 'layer', 'training', 'data', 'results', 'method', 'transformer'];
  let line = `Page ${n}.`;
  for (let i = 0; i < words; i++) {
    line += ` ${vocabulary[(i * 7 + n) % vocabulary.length]}`;
    if (line.length > 80) {
      lines.push(line);
      line = '';
    }
  }
  if (line) lines.push(line);

  return { lines };
}

/** A PDF of `count` pages of prose, written without a copy per page in memory beyond the file. */
export function manyPagesPdf(count: number): Buffer {
  return makePdf({ pages: Array.from({ length: count }, (_, i) => prosePage(i + 1, 20)) });
}

/**
 * Damages the cross-reference table: every offset zeroed and startxref pointing
 * nowhere. With `objects` the "N 0 obj" markers are mangled too, so the table
 * cannot be rebuilt by scanning the file.
 */
export function breakXref(pdf: Buffer, opts: { objects?: boolean } = {}): Buffer {
  let s = pdf.toString('latin1');
  s = s.replace(/\b\d{10} (\d{5}) n \n/g, '0000000000 $1 n \n').replace(/startxref\n\d+/, 'startxref\n99999999');
  if (opts.objects) {
    s = s.replace(/(\d+) 0 obj/g, '$1 0 xbj').replace(/endobj/g, 'endxbj').replace(/trailer/g, 'trailor');
  }

  return Buffer.from(s, 'latin1');
}
