/** ECharts options for each dashboard chart, from its table (columns + rows). */
import type { ChartTable } from '../../../../../src/web-types.ts';

type Opt = Record<string, unknown>;
const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** Bars of every numeric column (but rates) against the first column. */
function bars(t: ChartTable, skip: (c: string) => boolean = (c) => c.endsWith('_rate')): Opt {
  const cols = t.columns.slice(1).filter((c) => !skip(c));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 48 },
    xAxis: { type: 'category', data: t.rows.map((r) => String(r[0])), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value' },
    series: cols.map((c) => ({
      name: c,
      type: 'bar',
      data: t.rows.map((r) => r[t.columns.indexOf(c)]),
    })),
  };
}

/** The option for one chart, by its name. */
export function optionFor(t: ChartTable): Opt {
  if (t.chart === 'utilisation') {
    const max = Math.max(1, ...t.rows.map((r) => Number(r[2]) + Number(r[3])));
    return {
      tooltip: { position: 'top' },
      grid: { left: 48, right: 16, top: 16, bottom: 64 },
      xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => `${h}`) },
      yAxis: { type: 'category', data: WEEKDAYS },
      visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
      series: [
        {
          name: 'deposits + pickups',
          type: 'heatmap',
          data: t.rows.map((r) => [
            Number(r[1]),
            WEEKDAYS.indexOf(String(r[0])),
            Number(r[2]) + Number(r[3]),
          ]),
        },
      ],
    };
  }
  if (t.chart === 'peaks')
    return {
      ...bars(t),
      series: t.columns.slice(1).map((c, i) => ({
        name: c,
        type: 'line',
        smooth: true,
        data: t.rows.map((r) => r[i + 1]),
      })),
    };
  if (t.chart === 'dwell')
    return bars({ ...t, rows: t.rows.filter((r) => r[0] !== 'overdue_rate') });
  if (t.chart === 'devices') return bars(t, (c) => c === 'online_rate');
  if (t.chart === 'places')
    return bars({
      ...t,
      columns: ['name', 'deposits', 'overdue'],
      rows: t.rows.map((r) => [r[2]!, r[3]!, r[4]!]),
    });
  if (t.chart === 'hall') return bars(t, (c) => c === 'revenue_fen');
  return bars(t);
}
