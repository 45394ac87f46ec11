/** One dashboard chart: ECharts (loaded on first use) drawn from the chart's table, and its CSV export. */
import { Button, Card, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import type { ChartTable } from '../../../../../src/web-types.ts';
import { useT } from '../../../../shared/i18n.ts';
import { downloadCsv } from '../../../../shared/ledger.ts';
import { api } from '../../api.ts';
import { optionFor } from './chart-options.ts';

/** A chart card; `csvPath` is the chart's API path (the export adds `format=csv`). */
export function ChartCard({
  table,
  csvPath,
  note,
}: {
  table: ChartTable;
  csvPath: string;
  note?: string | undefined;
}) {
  const { t } = useT();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let dispose: (() => void) | undefined;
    let gone = false;
    void import('./echarts.ts').then(({ init }) => {
      if (gone || !el.current) return;
      const chart = init(el.current);
      chart.setOption(optionFor(table));
      const onResize = () => chart.resize();
      window.addEventListener('resize', onResize);
      dispose = () => {
        window.removeEventListener('resize', onResize);
        chart.dispose();
      };
    });
    return () => {
      gone = true;
      dispose?.();
    };
  }, [table]);
  const sep = csvPath.includes('?') ? '&' : '?';
  return (
    <Card
      size="small"
      title={t(table.title)}
      data-testid={`chart-${table.chart}`}
      extra={
        <Button
          size="small"
          data-testid={`csv-${table.chart}`}
          onClick={() =>
            void downloadCsv(api, `${csvPath}${sep}format=csv`, `${table.chart}.csv`).catch(
              () => undefined,
            )
          }
        >
          {t('导出 CSV')}
        </Button>
      }
    >
      {note && <Typography.Text type="secondary">{note}</Typography.Text>}
      <div ref={el} style={{ height: 280, width: '100%' }} role="img" aria-label={t(table.title)} />
    </Card>
  );
}
