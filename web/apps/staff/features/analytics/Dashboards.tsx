/**
 * The dashboards (issue 18): a place's charts over a window of days, with drill-down
 * subdistrict → community → compound → locker. Every chart exports its data as CSV.
 */
import { Breadcrumb, Col, DatePicker, Empty, Row, Space, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { DashboardView } from '../../../../../src/web-types.ts';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import { Loading } from '../../Loading.tsx';
import { ChartCard } from './ChartCard.tsx';

type Scope = DashboardView['scope'];
interface Place {
  scope: Scope;
  id: string;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** The dashboards page; `start` is where the caller's grants put them (subdistrict or community). */
export function Dashboards({ start }: { start: Place }) {
  const { t } = useT();
  const [place, setPlace] = useState<Place>(start);
  const [range, setRange] = useState<[string, string] | null>(null);
  const [view, setView] = useState<DashboardView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setPlace(start), [start]);
  const query = range ? `?from=${range[0]}&to=${range[1]}` : '';
  useEffect(() => {
    setView(null);
    setError(null);
    api
      .get<DashboardView>(`/analytics/${place.scope}/${place.id}${query}`)
      .then(setView)
      .catch((e: Error) => setError(e.message));
  }, [place, query]);

  if (error) return <Typography.Text type="danger">{error}</Typography.Text>;
  if (!view) return <Loading />;
  const places = view.charts.find((c) => c.chart === 'places');
  const crumbs = [...view.trail, { scope: view.scope, id: view.id, name: view.name }];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="dashboards">
      <Space wrap>
        <Breadcrumb
          items={crumbs.map((c) => ({
            title: (
              <a data-testid={`crumb-${c.scope}`} onClick={() => setPlace(c)}>
                {c.name}
              </a>
            ),
          }))}
        />
        <DatePicker.RangePicker
          aria-label={t('日期范围')}
          onChange={(_, s) => setRange(s[0] && s[1] ? [s[0], s[1]] : null)}
        />
        <Typography.Text type="secondary">
          {view.from} — {view.to}
        </Typography.Text>
      </Space>
      <Row gutter={16}>
        <Col span={4}>
          <Statistic title={t('投递')} value={view.figures.deposits} />
        </Col>
        <Col span={4}>
          <Statistic title={t('取件')} value={view.figures.pickups} />
        </Col>
        <Col span={4}>
          <Statistic title={t('超期率')} value={pct(view.figures.overdueRate)} />
        </Col>
        <Col span={4}>
          <Statistic title={t('新诉求')} value={view.figures.needsOpened} />
        </Col>
        <Col span={4}>
          <Statistic title={t('服务馆营收（元）')} value={view.figures.hallRevenueFen / 100} />
        </Col>
        <Col span={4}>
          <Statistic title={t('基金收入（元）')} value={view.figures.fundIncomeFen / 100} />
        </Col>
      </Row>
      {places && places.rows.length > 0 && (
        <Space wrap data-testid="drill-down">
          <Typography.Text>{t('下钻：')}</Typography.Text>
          {places.rows.map((r) => (
            <a
              key={String(r[1])}
              data-testid={`drill-${String(r[1])}`}
              onClick={() => setPlace({ scope: r[0] as Scope, id: String(r[1]) })}
            >
              {String(r[2])}
            </a>
          ))}
        </Space>
      )}
      {view.charts.every((c) => c.rows.length === 0) && <Empty />}
      <Row gutter={[16, 16]}>
        {view.charts.map((c) => (
          <Col key={c.chart} xs={24} lg={12}>
            <ChartCard
              table={c}
              csvPath={`/analytics/${view.scope}/${view.id}/charts/${c.chart}${query}`}
              note={
                c.chart === 'dwell'
                  ? `${t('超期率')} ${pct((c.rows.find((r) => r[0] === 'overdue_rate')?.[1] as number | null) ?? null)}`
                  : undefined
              }
            />
          </Col>
        ))}
      </Row>
    </Space>
  );
}
