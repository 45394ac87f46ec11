/** The renderers on fixed data: the HTML and the PDF carry every figure; the PDF's structure is sound. */
import { describe, expect, it } from 'vitest';
import type { MonthlyReportData } from './monthly-report.ts';
import { monthRange, previousMonth } from './monthly-report.ts';
import { drawnText, xrefProblems } from './pdf-check.ts';
import { PdfWriter, textRuns } from './pdf-writer.ts';
import { renderReportHtml } from './report-html.ts';
import { renderReportPdf } from './report-pdf.ts';

const DATA: MonthlyReportData = {
  community: { id: 'c1', name: '清水河社区', subdistrict: '金泉街道' },
  month: '2026-11',
  generatedAt: '2026-12-01T00:05:00.000Z',
  figuresSource: 'rollups',
  sections: [
    {
      key: 'lockers',
      title: '智能柜',
      titleEn: 'Lockers',
      figures: [
        { key: 'deposits', label: '投递件数', labelEn: 'Deposits', value: 12345, unit: 'count' },
        { key: 'overdue', label: '逾期率', labelEn: 'Overdue rate', value: 0.0314, unit: 'share' },
        {
          key: 'revenue',
          label: '服务馆营收',
          labelEn: 'Hall revenue',
          value: 1234567,
          unit: 'fen',
        },
        { key: 'none', label: '无数据', labelEn: 'Missing', value: null, unit: 'count' },
      ],
      note: '说明 (a note with "quotes" & <tags>)',
    },
  ],
  charts: [
    {
      key: 'daily',
      title: '每日投递',
      titleEn: 'Deposits per day',
      unit: 'count',
      points: Array.from({ length: 30 }, (_, i) => ({ label: `${i + 1}`, value: 300 + i * 7 })),
    },
  ],
};

describe('monthly report renderers', () => {
  it('puts every figure in the HTML, escaped, with print CSS and no scripts', () => {
    const html = renderReportHtml(DATA);
    expect(html).toContain('清水河社区 2026-11 月报');
    expect(html).toContain('12,345');
    expect(html).toContain('3.1 %');
    expect(html).toContain('12,345.67 元');
    expect(html).toContain('&quot;quotes&quot; &amp; &lt;tags&gt;');
    expect(html).toContain('@page');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|\ssrc=|\shref=|url\(/);
    expect(html.match(/<rect /g)).toHaveLength(30);
  });

  it('writes a PDF with a valid xref that carries every figure', () => {
    const pdf = renderReportPdf(DATA);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(xrefProblems(pdf)).toEqual([]);
    const text = drawnText(pdf);
    expect(text).toContain('清水河社区 2026-11 月报');
    expect(text).toContain('12,345');
    expect(text).toContain('3.1 %');
    expect(text).toContain('12,345.67 元');
    expect(text).toContain('Overdue rate');
    expect(text).toContain('—');
    expect(pdf.toString('latin1')).toContain('/BaseFont /STSong-Light');
  });

  it('breaks onto a new page when the content does not fit', () => {
    const long: MonthlyReportData = {
      ...DATA,
      sections: Array.from({ length: 8 }, (_, i) => ({ ...DATA.sections[0]!, key: `s${i}` })),
    };
    const pdf = renderReportPdf(long);
    expect(pdf.toString('latin1')).toMatch(/\/Count [2-9]/);
    expect(xrefProblems(pdf)).toEqual([]);
  });

  it('notices a broken xref (the check can fail)', () => {
    const w = new PdfWriter();
    w.text(10, 10, 12, 'x');
    const good = w.toBuffer({ title: 't', createdAt: new Date(0) });
    const bad = Buffer.from(good.toString('latin1').replace('2 0 obj', '2 0 obk'), 'latin1');
    expect(xrefProblems(good)).toEqual([]);
    expect(xrefProblems(bad)).toContain('entry 2 does not point at its object');
  });

  it('splits Latin and Chinese runs', () => {
    expect(textRuns('共 12 件')).toEqual([
      { latin: false, text: '共' },
      { latin: true, text: ' 12 ' },
      { latin: false, text: '件' },
    ]);
  });

  it('computes CST months', () => {
    // 2026-12-01 00:30 CST is 2026-11-30 16:30 UTC: the month just ended is November.
    expect(previousMonth(Date.parse('2026-11-30T16:30:00Z'))).toBe('2026-11');
    expect(previousMonth(Date.parse('2026-11-30T15:30:00Z'))).toBe('2026-10');
    expect(previousMonth(Date.parse('2027-01-01T00:00:00Z'))).toBe('2026-12');
    expect(monthRange('2026-12')).toEqual({
      start: '2026-11-30T16:00:00.000Z',
      end: '2026-12-31T16:00:00.000Z',
    });
  });
});
