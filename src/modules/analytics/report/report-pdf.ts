/**
 * The monthly report as a PDF (ADR 0030): the same data as the HTML page — title, the
 * sections' figures as tables with Chinese and English labels, bar charts — laid out on
 * A4 pages by the small writer in pdf-writer.ts. Pure: data in, bytes out.
 */
import {
  formatFigure,
  type MonthlyReportData,
  type ReportChart,
  type ReportSection,
} from './monthly-report.ts';
import { PdfWriter, type Rgb, textWidth } from './pdf-writer.ts';

const INK: Rgb = [0.12, 0.18, 0.16];
const GREEN: Rgb = [0.04, 0.24, 0.19];
const GREY: Rgb = [0.42, 0.48, 0.46];
const RULE: Rgb = [0.85, 0.89, 0.88];
const BAR: Rgb = [0.12, 0.54, 0.44];
const M = 50; // page margin, points

/** Lays content down a page, starting a new page when the next block would not fit. */
class Flow {
  y: number;
  constructor(readonly pdf: PdfWriter) {
    pdf.addPage();
    this.y = pdf.height - M;
  }
  need(h: number): void {
    if (this.y - h < M) {
      this.pdf.addPage();
      this.y = this.pdf.height - M;
    }
  }
  get right(): number {
    return this.pdf.width - M;
  }
}

/** Break a text into lines no wider than `width` (character by character: Chinese has no spaces). */
function wrap(s: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of s) {
    if (textWidth(line + ch, size) > width && line) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

function heading(f: Flow, title: string, en: string): void {
  f.need(40);
  f.y -= 22;
  f.pdf.text(M, f.y, 13, title, { bold: true, color: GREEN });
  f.pdf.text(M + textWidth(title, 13, true) + 8, f.y, 9, en, { color: GREY });
  f.y -= 6;
}

function section(f: Flow, s: ReportSection): void {
  heading(f, s.title, s.titleEn);
  for (const fig of s.figures) {
    f.need(20);
    f.y -= 16;
    f.pdf.text(M + 4, f.y, 10, fig.label, { color: INK });
    f.pdf.text(M + 8 + textWidth(fig.label, 10), f.y, 8, fig.labelEn, { color: GREY });
    const v = formatFigure(fig);
    const shown = v.unit ? `${v.value} ${v.unit}` : v.value;
    f.pdf.text(f.right - 4 - textWidth(shown, 10, true), f.y, 10, shown, { bold: true });
    f.pdf.line(M, f.y - 5, f.right, f.y - 5, RULE);
  }
  if (s.note)
    for (const line of wrap(s.note, 8, f.right - M)) {
      f.need(12);
      f.y -= 12;
      f.pdf.text(M, f.y, 8, line, { color: GREY });
    }
}

function chart(f: Flow, c: ReportChart): void {
  const h = 120;
  f.need(h + 60);
  heading(f, c.title, c.titleEn);
  const top = f.y - 8;
  const base = top - h;
  const left = M + 36;
  const width = f.right - left;
  const max = Math.max(1, ...c.points.map((p) => p.value));
  const slot = width / Math.max(1, c.points.length);
  const every = Math.max(1, Math.ceil(c.points.length / 16));
  f.pdf.line(left, base, f.right, base, GREY);
  f.pdf.text(M, top - 6, 7, formatFigure({ value: max, unit: c.unit }).value, { color: GREY });
  f.pdf.text(M, base, 7, '0', { color: GREY });
  c.points.forEach((p, i) => {
    const bh = (p.value / max) * h;
    const x = left + i * slot + slot * 0.15;
    if (bh > 0) f.pdf.rect(x, base, slot * 0.7, bh, BAR);
    if (i % every === 0) {
      const w = textWidth(p.label, 7);
      f.pdf.text(x + slot * 0.35 - w / 2, base - 10, 7, p.label, { color: GREY });
    }
  });
  f.y = base - 16;
}

/** The report's PDF bytes. */
export function renderReportPdf(r: MonthlyReportData): Buffer {
  const pdf = new PdfWriter();
  const f = new Flow(pdf);
  const title = `${r.community.name} ${r.month} 月报`;
  f.y -= 18;
  pdf.text(M, f.y, 18, title, { bold: true, color: GREEN });
  pdf.text(M + textWidth(title, 18, true) + 10, f.y, 11, 'Monthly report', { color: GREY });
  f.y -= 16;
  pdf.text(M, f.y, 9, `${r.community.subdistrict} · ${r.community.name} · ${r.month} (CST)`, {
    color: GREY,
  });
  f.y -= 12;
  pdf.text(M, f.y, 8, `Generated ${r.generatedAt}`, { color: GREY });
  pdf.line(M, f.y - 6, f.right, f.y - 6, GREEN, 1.5);
  f.y -= 6;
  if (r.figuresSource === 'unavailable') {
    f.y -= 16;
    pdf.text(M, f.y, 9, '本月运营数据尚未汇总 Activity figures were not available.', {
      color: [0.63, 0.35, 0],
    });
  }
  for (const s of r.sections) section(f, s);
  for (const c of r.charts) if (c.points.length) chart(f, c);
  return pdf.toBuffer({ title, createdAt: new Date(r.generatedAt) });
}
