/**
 * The monthly report's data (ADR 0030): what a renderer (HTML or PDF) needs, and nothing
 * about where the figures came from. Builders fill it from the analytics rollups and the
 * life circle; the renderers only format it. Labels come in Chinese and English so the
 * PDF stays readable where a viewer has no Chinese font.
 */
import type { Executor } from '../../../db/database.ts';
import { SHANGHAI_OFFSET_MS } from '../../../platform/clock.ts';

/** How a figure's value reads. */
export type FigureUnit = 'count' | 'number' | 'share' | 'fen' | 'minutes' | 'hours';

/** One key figure. */
export interface Figure {
  key: string;
  label: string;
  labelEn: string;
  /** null when the source had nothing for this month. */
  value: number | null;
  unit: FigureUnit;
}

/** A group of figures (lockers, needs, the hall, the fund, the life circle). */
export interface ReportSection {
  key: string;
  title: string;
  titleEn: string;
  figures: Figure[];
  /** A sentence under the table (e.g. how the life circle is measured). */
  note?: string;
}

/** A bar chart: one bar per point, in order. */
export interface ReportChart {
  key: string;
  title: string;
  titleEn: string;
  unit: FigureUnit;
  points: { label: string; value: number }[];
}

/** Everything a monthly report shows. */
export interface MonthlyReportData {
  community: { id: string; name: string; subdistrict: string };
  /** YYYY-MM, in China Standard Time. */
  month: string;
  generatedAt: string;
  /** Where the activity figures came from: the analytics rollups, or none yet. */
  figuresSource: 'rollups' | 'unavailable';
  sections: ReportSection[];
  charts: ReportChart[];
}

/** A month's activity figures as report sections and charts; null when there are none to give. */
export type FiguresSource = (
  db: Executor,
  communityId: string,
  month: string,
) => Promise<{ sections: ReportSection[]; charts: ReportChart[] } | null>;

const grouped = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A figure's value and unit as printed ("—" when there is none). */
export function formatFigure(f: Pick<Figure, 'value' | 'unit'>): { value: string; unit: string } {
  if (f.value === null || !Number.isFinite(f.value)) return { value: '—', unit: '' };
  switch (f.unit) {
    case 'count':
      return { value: grouped(f.value), unit: '' };
    case 'number':
      return { value: grouped(f.value, 2), unit: '' };
    case 'share':
      return { value: (f.value * 100).toFixed(1), unit: '%' };
    case 'fen':
      return { value: grouped(f.value / 100, 2), unit: '元' };
    case 'minutes':
      return { value: f.value.toFixed(1), unit: 'min' };
    case 'hours':
      return { value: f.value.toFixed(1), unit: 'h' };
  }
}

/** The month before the one containing `at`, in China Standard Time (UTC+8, no daylight saving). */
export function previousMonth(atMs: number): string {
  const d = new Date(atMs + SHANGHAI_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth(); // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/** The month containing `at`, in China Standard Time. */
export function monthOf(atMs: number): string {
  const d = new Date(atMs + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The UTC instants a CST month spans: [start, end). */
export function monthRange(month: string): { start: string; end: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = Date.UTC(y, m - 1, 1) - SHANGHAI_OFFSET_MS;
  const end = Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1) - SHANGHAI_OFFSET_MS;
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}
