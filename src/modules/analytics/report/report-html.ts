/**
 * The monthly report as one printable HTML page (ADR 0030): no scripts, no outside
 * resources, inline SVG charts, print CSS for A4. Pure: MonthlyReportData in, text out.
 */
import {
  formatFigure,
  type MonthlyReportData,
  type ReportChart,
  type ReportSection,
} from './monthly-report.ts';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const CSS = `
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2d2a; margin: 24px auto; max-width: 820px; padding: 0 16px; }
header { border-bottom: 3px solid #0a3d30; margin-bottom: 16px; padding-bottom: 8px; }
h1 { font-size: 22px; margin: 0 0 4px; color: #0a3d30; }
h2 { font-size: 16px; margin: 20px 0 6px; color: #0a3d30; }
.en { color: #6b7a76; font-size: 0.8em; font-weight: normal; margin-left: 6px; }
.meta { color: #55625f; font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
td { border-bottom: 1px solid #dde5e2; padding: 5px 6px; }
td.v { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; white-space: nowrap; }
.note { color: #55625f; font-size: 12px; margin: 4px 0 0; }
.missing { color: #a05a00; font-size: 13px; }
figure { margin: 12px 0; break-inside: avoid; }
figcaption { font-size: 14px; font-weight: 600; margin-bottom: 4px; }
section { break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } .noprint { display: none; } }
`;

function sectionHtml(s: ReportSection): string {
  const rows = s.figures
    .map((f) => {
      const v = formatFigure(f);
      return `<tr data-key="${esc(f.key)}"><td>${esc(f.label)}<span class="en">${esc(f.labelEn)}</span></td><td class="v">${esc(v.value)}${v.unit ? ` ${esc(v.unit)}` : ''}</td></tr>`;
    })
    .join('');
  return `<section data-section="${esc(s.key)}"><h2>${esc(s.title)}<span class="en">${esc(s.titleEn)}</span></h2><table>${rows}</table>${s.note ? `<p class="note">${esc(s.note)}</p>` : ''}</section>`;
}

/** A bar chart as inline SVG (labels under every bar when they fit, else every k-th). */
export function barChartSvg(c: ReportChart, width = 760, height = 200): string {
  const pad = { left: 44, right: 8, top: 10, bottom: 28 };
  const max = Math.max(1, ...c.points.map((p) => p.value));
  const n = Math.max(1, c.points.length);
  const slot = (width - pad.left - pad.right) / n;
  const plotH = height - pad.top - pad.bottom;
  const every = Math.max(1, Math.ceil(n / 16));
  const bars = c.points
    .map((p, i) => {
      const h = (p.value / max) * plotH;
      const x = pad.left + i * slot + slot * 0.15;
      const y = pad.top + plotH - h;
      const label =
        i % every === 0
          ? `<text x="${(x + slot * 0.35).toFixed(1)}" y="${height - 10}" font-size="10" text-anchor="middle">${esc(p.label)}</text>`
          : '';
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="#1f8a70"><title>${esc(p.label)}: ${esc(formatFigure({ value: p.value, unit: c.unit }).value)}</title></rect>${label}`;
    })
    .join('');
  const axis = `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${width - pad.right}" y2="${pad.top + plotH}" stroke="#888"/><text x="${pad.left - 6}" y="${pad.top + 8}" font-size="10" text-anchor="end">${esc(formatFigure({ value: max, unit: c.unit }).value)}</text><text x="${pad.left - 6}" y="${pad.top + plotH}" font-size="10" text-anchor="end">0</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(c.title)}">${axis}${bars}</svg>`;
}

/** The whole report page. */
export function renderReportHtml(r: MonthlyReportData): string {
  const title = `${r.community.name} ${r.month} 月报`;
  const charts = r.charts
    .filter((c) => c.points.length > 0)
    .map(
      (c) =>
        `<figure data-chart="${esc(c.key)}"><figcaption>${esc(c.title)}<span class="en">${esc(c.titleEn)}</span></figcaption>${barChartSvg(c)}</figure>`,
    )
    .join('');
  const missing =
    r.figuresSource === 'unavailable'
      ? '<p class="missing">本月运营数据尚未汇总（分析汇总表未就绪），以下仅列出可得的数据。<span class="en">Activity figures were not available when this report was generated.</span></p>'
      : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body><header><h1>${esc(title)}<span class="en">Monthly report</span></h1>
<div class="meta">${esc(r.community.subdistrict)} · ${esc(r.community.name)} · 统计月份 ${esc(r.month)}（北京时间） · 生成于 ${esc(r.generatedAt)}</div></header>
${missing}${r.sections.map(sectionHtml).join('\n')}
${charts ? `<h2>图表<span class="en">Charts</span></h2>${charts}` : ''}
</body></html>`;
}
