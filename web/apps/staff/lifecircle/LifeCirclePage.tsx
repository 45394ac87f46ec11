/**
 * The 5-minute life circle for the community office and the subdistrict: shares of
 * households within a walk of a hall and a locker, the map, the coverage planner, and the
 * monthly reports. Walking is straight line × detour factor at a set speed (shown).
 */
import {
  App,
  Button,
  Card,
  Col,
  InputNumber,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import type { Workplaces } from '../../../shared/types.ts';
import type { LifeCircleView, PlanView } from '../../../../src/web-types.ts';
import { api } from '../api.ts';
import { LifeCircleMap } from './LifeCircleMap.tsx';
import { ReportsPanel } from './ReportsPanel.tsx';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The life-circle tab for the picked community (or the whole subdistrict, for subdistrict staff). */
export function LifeCirclePage({ communityId, me }: { communityId: string; me: Workplaces }) {
  const { t } = useT();
  const { message } = App.useApp();
  const subdistrictId = me.grants.find((g) => g.scopeKind === 'subdistrict')?.scopeId ?? null;
  const [scope, setScope] = useState<'community' | 'subdistrict'>('community');
  const [data, setData] = useState<LifeCircleView | null>(null);
  const [plan, setPlan] = useState<PlanView | null>(null);
  const [kind, setKind] = useState<'hall' | 'locker'>('hall');
  const [count, setCount] = useState(2);
  const [candidates, setCandidates] = useState<'buildings' | 'grid'>('buildings');
  const [planning, setPlanning] = useState(false);

  const base =
    scope === 'subdistrict' && subdistrictId
      ? `/analytics/lifecircle/subdistricts/${subdistrictId}`
      : `/analytics/lifecircle/communities/${communityId}`;

  useEffect(() => {
    let live = true;
    setPlan(null);
    api
      .get<LifeCircleView>(base)
      .then((d) => live && setData(d))
      .catch((e: Error) => void message.error(e.message));
    return () => void (live = false);
  }, [base, message]);

  const runPlan = useCallback(() => {
    setPlanning(true);
    api
      .get<PlanView>(`${base}/plan?kind=${kind}&count=${count}&candidates=${candidates}`)
      .then(setPlan)
      .catch((e: Error) => void message.error(e.message))
      .finally(() => setPlanning(false));
  }, [base, kind, count, candidates, message]);

  const s = data?.summary;
  const set = data?.settings;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {subdistrictId && (
        <Segmented
          data-testid="lifecircle-scope"
          value={scope}
          onChange={(v) => setScope(v as 'community' | 'subdistrict')}
          options={[
            { value: 'community', label: t('本社区') },
            { value: 'subdistrict', label: t('全街道') },
          ]}
        />
      )}
      {s && set && (
        <Row gutter={16}>
          <Col span={6}>
            <Card size="small">
              <Statistic
                title={t('{{m}} 分钟内可到服务馆的住户', { m: set.hallMinutes })}
                value={pct(s.shareNearHall)}
                suffix={
                  <span
                    data-testid="share-hall"
                    style={{ fontSize: 13 }}
                  >{`${s.householdsNearHall} / ${s.households} ${t('户')}`}</span>
                }
              />
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic
                title={t('{{m}} 分钟内可到智能柜的住户', { m: set.lockerMinutes })}
                value={pct(s.shareNearLocker)}
              />
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic
                title={t('到服务馆步行时间中位数')}
                value={s.medianHallMinutes ?? '—'}
                suffix={s.medianHallMinutes !== null ? t('分钟') : ''}
              />
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic
                title={t('楼栋（无坐标）')}
                value={`${s.buildings}（${s.unlocatedBuildings}）`}
              />
            </Card>
          </Col>
        </Row>
      )}
      {set && (
        <Typography.Text type="secondary">
          {t(
            '步行距离 = 直线距离 × {{f}}，步速 {{v}} 米/分钟：{{m}} 分钟 ≈ 直线 {{r}} 米。按住户（单元登记户数）计。',
            {
              f: set.detourFactor,
              v: set.speedMPerMin,
              m: set.hallMinutes,
              r: Math.round(set.hallRadiusM),
            },
          )}
        </Typography.Text>
      )}
      <Card size="small" title={t('选址规划')}>
        <Space wrap>
          <Select
            aria-label={t('设施')}
            value={kind}
            onChange={setKind}
            options={[
              { value: 'hall', label: t('服务馆') },
              { value: 'locker', label: t('智能柜') },
            ]}
          />
          <span>{t('新增数量')}</span>
          <InputNumber
            data-testid="plan-count"
            min={1}
            max={10}
            value={count}
            onChange={(v) => setCount(v ?? 1)}
          />
          <Select
            aria-label={t('候选点')}
            value={candidates}
            onChange={setCandidates}
            options={[
              { value: 'buildings', label: t('候选：楼栋位置') },
              { value: 'grid', label: t('候选：100 米网格') },
            ]}
          />
          <Button type="primary" data-testid="plan-run" loading={planning} onClick={runPlan}>
            {t('规划')}
          </Button>
        </Space>
        {plan && (
          <div data-testid="plan-result" style={{ marginTop: 12 }}>
            <Typography.Paragraph>
              {t('当前覆盖 {{a}} / {{b}} 户（{{p}}）。', {
                a: plan.coveredBefore,
                b: plan.households,
                p: pct(plan.shareBefore),
              })}
              {plan.proposals.length < count &&
                t('只建议 {{n}} 处：再多一处也覆盖不到新的住户。', { n: plan.proposals.length })}
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey="rank"
              pagination={false}
              dataSource={plan.proposals}
              columns={[
                { title: '#', dataIndex: 'rank', width: 40 },
                { title: t('位置'), dataIndex: 'label' },
                { title: t('新覆盖住户'), dataIndex: 'gainHouseholds' },
                {
                  title: t('覆盖率（累计）'),
                  dataIndex: 'shareAfter',
                  render: (x: number) => pct(x),
                },
                {
                  title: t('坐标'),
                  render: (_: unknown, x: PlanView['proposals'][number]) =>
                    `${x.lat.toFixed(5)}, ${x.lng.toFixed(5)}`,
                },
              ]}
            />
          </div>
        )}
      </Card>
      {data && <LifeCircleMap data={data} plan={plan} />}
      {data && scope === 'subdistrict' && (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={data.communities}
          columns={[
            { title: t('社区'), dataIndex: 'name' },
            {
              title: t('住户'),
              render: (_: unknown, c: LifeCircleView['communities'][number]) =>
                c.summary.households,
            },
            {
              title: t('服务馆覆盖率'),
              render: (_: unknown, c: LifeCircleView['communities'][number]) =>
                pct(c.summary.shareNearHall),
            },
            {
              title: t('智能柜覆盖率'),
              render: (_: unknown, c: LifeCircleView['communities'][number]) =>
                pct(c.summary.shareNearLocker),
            },
          ]}
        />
      )}
      <ReportsPanel communityId={communityId} />
    </Space>
  );
}
