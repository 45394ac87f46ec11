/**
 * A small PDF 1.4 writer for text, rules, filled boxes and bar charts (ADR 0030) — no
 * dependency. Latin text uses the base-14 Helvetica; Chinese uses the predefined CJK font
 * STSong-Light with the UniGB-UCS2-H CMap (PDF 32000-1 §9.7.5.2, Adobe-GB1), which viewers
 * supply themselves, so nothing is embedded and a report is a few kilobytes. Content
 * streams are not compressed: the figures can be read (and tested) in the file as written.
 */

/** An RGB colour, 0–1 each. */
export type Rgb = readonly [number, number, number];

// Helvetica's advance widths (AFM, 1/1000 em) for ASCII 32–126.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
  556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
  611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
  667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
  222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

const isLatin = (c: number) => c >= 0x20 && c <= 0x7e;
const n = (x: number) => (Math.round(x * 100) / 100).toString();

/** Split text into runs of Latin (Helvetica) and other (CJK font) characters. */
export function textRuns(s: string): { latin: boolean; text: string }[] {
  const runs: { latin: boolean; text: string }[] = [];
  for (const ch of s) {
    const latin = isLatin(ch.codePointAt(0)!);
    const last = runs.at(-1);
    if (last && last.latin === latin) last.text += ch;
    else runs.push({ latin, text: ch });
  }
  return runs;
}

/** The width of a text in points at a font size (CJK glyphs are one em wide). */
export function textWidth(s: string, size: number, bold = false): number {
  let units = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    units += isLatin(c) ? HELVETICA[c - 0x20]! * (bold ? 1.05 : 1) : 1000;
  }
  return (units / 1000) * size;
}

const literal = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;

/** UCS-2 big-endian hex for the UniGB-UCS2-H CMap (characters beyond the BMP become "?"). */
const ucs2 = (s: string) =>
  `<${[...s]
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      return (c > 0xffff ? 0x3f : c).toString(16).padStart(4, '0');
    })
    .join('')}>`;

/** A document being drawn, page by page; coordinates in points from the bottom-left. */
export class PdfWriter {
  private readonly pages: string[][] = [];

  constructor(
    readonly width = 595.28,
    readonly height = 841.89,
  ) {}

  /** Start a new page; drawing goes to it. */
  addPage(): void {
    this.pages.push([]);
  }

  get pageCount(): number {
    return this.pages.length;
  }

  private get ops(): string[] {
    if (this.pages.length === 0) this.addPage();
    return this.pages.at(-1)!;
  }

  /** Draw text with its baseline at (x, y). */
  text(x: number, y: number, size: number, s: string, opts: { bold?: boolean; color?: Rgb } = {}) {
    const [r, g, b] = opts.color ?? [0.12, 0.18, 0.16];
    let cx = x;
    const parts: string[] = [];
    for (const run of textRuns(s)) {
      const font = run.latin ? (opts.bold ? '/F2' : '/F1') : '/F3';
      const str = run.latin ? literal(run.text) : ucs2(run.text);
      parts.push(`${font} ${n(size)} Tf 1 0 0 1 ${n(cx)} ${n(y)} Tm ${str} Tj`);
      cx += textWidth(run.text, size, opts.bold);
    }
    this.ops.push(`BT ${n(r)} ${n(g)} ${n(b)} rg ${parts.join(' ')} ET`);
  }

  /** A filled rectangle. */
  rect(x: number, y: number, w: number, h: number, fill: Rgb): void {
    this.ops.push(`${fill.map(n).join(' ')} rg ${n(x)} ${n(y)} ${n(w)} ${n(h)} re f`);
  }

  /** A straight line. */
  line(x1: number, y1: number, x2: number, y2: number, stroke: Rgb, width = 0.5): void {
    this.ops.push(
      `${stroke.map(n).join(' ')} RG ${n(width)} w ${n(x1)} ${n(y1)} m ${n(x2)} ${n(y2)} l S`,
    );
  }

  /** The finished file. Every byte is ASCII, so string offsets are byte offsets. */
  toBuffer(info: { title: string; createdAt: Date }): Buffer {
    if (this.pages.length === 0) this.addPage();
    const objects: string[] = [];
    const add = (body: string) => objects.push(body); // the new length = the object number
    const catalog = add('<< /Type /Catalog /Pages 2 0 R >>');
    add(''); // 2: the page tree, filled in once the pages are numbered
    const f1 = add(
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    );
    const f2 = add(
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    );
    const descriptor = add(
      '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
    );
    const cid = add(
      `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor ${descriptor} 0 R /DW 1000 >>`,
    );
    const f3 = add(
      `<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [${cid} 0 R] >>`,
    );
    const fonts = `<< /F1 ${f1} 0 R /F2 ${f2} 0 R /F3 ${f3} 0 R >>`;
    const kids: number[] = [];
    for (const ops of this.pages) {
      const content = ops.join('\n');
      const stream = add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
      kids.push(
        add(
          `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${n(this.width)} ${n(this.height)}] /Resources << /Font ${fonts} >> /Contents ${stream} 0 R >>`,
        ),
      );
    }
    objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
    const d = info.createdAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const meta = add(
      `<< /Title ${ucs2(`\ufeff${info.title}`)} /Producer (antnest) /CreationDate (D:${d}Z) >>`,
    );

    let out = '%PDF-1.4\n';
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(out.length);
      out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    const xref = out.length;
    out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
    out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${meta} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(out, 'latin1');
  }
}
