/**
 * The signed-in console: my roles and places by name, a community picker with names, and
 * the screens my roles may use. Each role starts on its overview (what its grants cover);
 * a partner sees their hall. One live stream drives every refresh.
 */
import { Badge, Button, Layout, Select, Space, Tabs, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState, useEffect } from 'react';
import { useT } from '../../shared/i18n.ts';
import { LangSwitch } from '../../shared/LangSwitch.tsx';
import { type LiveFrame, useLive } from '../../shared/live.ts';
import type { Workplaces } from '../../shared/types.ts';
import { api } from './api.ts';
import { Loading } from './Loading.tsx';
import { MANAGER_ROLES, ROLE_LABEL, STAFF_ROLES } from './place.ts';

const Overview = lazy(() =>
  import('./features/Overview.tsx').then((m) => ({ default: m.Overview })),
);
const Alerts = lazy(() => import('./features/Alerts.tsx').then((m) => ({ default: m.Alerts })));
const Lockers = lazy(() => import('./features/Lockers.tsx').then((m) => ({ default: m.Lockers })));
const ParcelSearch = lazy(() =>
  import('./features/ParcelSearch.tsx').then((m) => ({ default: m.ParcelSearch })),
);
const HallConsole = lazy(() =>
  import('./features/hall/HallConsole.tsx').then((m) => ({ default: m.HallConsole })),
);
const Overdue = lazy(() => import('./features/Overdue.tsx').then((m) => ({ default: m.Overdue })));
const HouseholdRequests = lazy(() =>
  import('./features/HouseholdRequests.tsx').then((m) => ({ default: m.HouseholdRequests })),
);
const NoticesPage = lazy(() =>
  import('./features/notices/NoticesPage.tsx').then((m) => ({ default: m.NoticesPage })),
);
const Worklist = lazy(() =>
  import('./features/needs/Worklist.tsx').then((m) => ({ default: m.Worklist })),
);
const Open311Clients = lazy(() =>
  import('./features/needs/Open311Clients.tsx').then((m) => ({ default: m.Open311Clients })),
);
const FrontDesk = lazy(() =>
  import('./features/needs/FrontDesk.tsx').then((m) => ({ default: m.FrontDesk })),
);
const Finance = lazy(() => import('./features/Finance.tsx').then((m) => ({ default: m.Finance })));
const LifeCirclePage = lazy(() =>
  import('./lifecircle/LifeCirclePage.tsx').then((m) => ({ default: m.LifeCirclePage })),
);
// The dashboards' chunk pulls in ECharts (dynamically, on first chart): only this tab loads it.
const Dashboards = lazy(() =>
  import('./features/analytics/Dashboards.tsx').then((m) => ({ default: m.Dashboards })),
);
const SendingTariffs = lazy(() =>
  import('./features/SendingTariffs.tsx').then((m) => ({ default: m.SendingTariffs })),
);
const Partner = lazy(() => import('./features/Partner.tsx').then((m) => ({ default: m.Partner })));

export interface Tick {
  alerts: number;
  lockers: number;
  lastLocker: string | null;
}

/** The console after sign-in: header with names, tabs per role. */
export function Console() {
  const { t } = useT();
  const [me, setMe] = useState<Workplaces | null>(null);
  const [name, setName] = useState('');
  const [communityId, setCommunityId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState<Tick>({ alerts: 0, lockers: 0, lastLocker: null });
  const [openAlerts, setOpenAlerts] = useState(0);

  useEffect(() => {
    Promise.all([api.get<Workplaces>('/me/workplaces'), api.get<{ displayName: string }>('/me')])
      .then(([w, m]) => {
        setMe(w);
        setName(m.displayName);
        setCommunityId(w.communities[0]?.id ?? null);
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const staff = useMemo(() => me?.grants.some((g) => STAFF_ROLES.has(g.role)) ?? false, [me]);
  const manager = useMemo(() => me?.grants.some((g) => MANAGER_ROLES.has(g.role)) ?? false, [me]);
  const hallId = useMemo(
    () => me?.grants.find((g) => g.role === 'hall_staff')?.scopeId ?? null,
    [me],
  );
  const partnerHalls = useMemo(() => me?.grants.filter((g) => g.role === 'partner') ?? [], [me]);
  const onFrame = (f: LiveFrame) => {
    if (f.type === 'alert' || f.type === 'ready') setTick((x) => ({ ...x, alerts: x.alerts + 1 }));
    if (f.type === 'compartment' || f.type === 'ready')
      setTick((x) => ({
        ...x,
        lockers: x.lockers + 1,
        lastLocker: f.type === 'compartment' ? f.lockerId : null,
      }));
  };
  const live = useLive(api, staff, onFrame);
  const roles = me
    ? [...new Set(me.grants.map((g) => t(ROLE_LABEL[g.role] ?? g.role)))].join('、')
    : '';

  const tabs = [];
  if (staff && communityId && me) {
    const props = { communityId, tick };
    tabs.push(
      {
        key: 'overview',
        label: t('概览'),
        children: <Overview {...props} me={me} onAlerts={setOpenAlerts} />,
      },
      {
        key: 'alerts',
        label: (
          <Space>
            {t('告警')}
            <Badge count={openAlerts} />
          </Space>
        ),
        children: (
          <Alerts communityId={communityId} refresh={tick.alerts} onCount={setOpenAlerts} />
        ),
      },
      {
        key: 'lockers',
        label: t('智能柜'),
        children: (
          <Lockers
            communityId={communityId}
            refresh={tick.lockers}
            changedLocker={tick.lastLocker}
          />
        ),
      },
      {
        key: 'parcels',
        label: t('包裹查询'),
        children: <ParcelSearch communityId={communityId} />,
      },
      {
        key: 'needs',
        label: t('居民诉求'),
        children: <Worklist communityId={communityId} gridFilter={manager} />,
      },
    );
    if (hallId)
      tabs.push({
        key: 'front-desk',
        label: t('前台代办'),
        children: <FrontDesk hallId={hallId} />,
      });
    if (manager)
      tabs.push({
        key: 'household-requests',
        label: t('住户绑定申请'),
        children: <HouseholdRequests />,
      });
    if (manager || hallId)
      tabs.push({
        key: 'notices',
        label: t('通知与活动'),
        children: <NoticesPage communityId={communityId} me={me} />,
      });
    if (manager || hallId)
      tabs.push({
        key: 'finance',
        label: t('账本与基金'),
        children: <Finance communityId={communityId} hallId={hallId} manager={manager} />,
      });
    if (manager)
      tabs.push({
        key: 'lifecircle',
        label: t('生活圈与月报'),
        children: <LifeCirclePage communityId={communityId} me={me} />,
      });
    if (hallId)
      tabs.push({ key: 'hall', label: t('服务馆'), children: <HallConsole hallId={hallId} /> });
    if (hallId)
      tabs.push({
        key: 'overdue',
        label: t('逾期转服务馆'),
        children: <Overdue hallId={hallId} />,
      });
  }
  // Dashboards: subdistrict staff start at their subdistrict, community office staff at the community.
  const subdistrictId = me?.grants.find(
    (g) =>
      (g.role === 'subdistrict_officer' || g.role === 'operator_admin') &&
      g.scopeKind === 'subdistrict',
  )?.scopeId;
  const dashStart = useMemo(
    () =>
      subdistrictId
        ? { scope: 'subdistricts' as const, id: subdistrictId }
        : communityId
          ? { scope: 'communities' as const, id: communityId }
          : null,
    [subdistrictId, communityId],
  );
  if (manager && dashStart)
    tabs.push({
      key: 'dashboards',
      label: t('数据看板'),
      children: <Dashboards start={dashStart} />,
    });
  // Open311 keys: who the API lets manage them (subdistrict officers, operator admins).
  if (me?.grants.some((g) => g.role === 'subdistrict_officer' || g.role === 'operator_admin'))
    tabs.push({ key: 'open311', label: t('Open311 接入'), children: <Open311Clients /> });
  // The sending tariff table: the API lets operator admins keep it.
  if (me?.grants.some((g) => g.role === 'operator_admin'))
    tabs.push({ key: 'sending-tariffs', label: t('寄件价格'), children: <SendingTariffs /> });
  if (partnerHalls.length > 0)
    tabs.push({
      key: 'partner',
      label: t('我的服务馆'),
      children: <Partner halls={partnerHalls} />,
    });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#0a3d30' }}
      >
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          {t('蚁巢 · 管理后台')}
        </Typography.Title>
        {staff && (
          <Select
            aria-label={t('社区')}
            data-testid="community-picker"
            style={{ minWidth: 200 }}
            value={communityId ?? undefined}
            onChange={setCommunityId}
            options={(me?.communities ?? []).map((c) => ({
              value: c.id,
              label: `${c.name}（${c.subdistrict}）`,
            }))}
            placeholder={t('选择社区')}
          />
        )}
        <span style={{ flex: 1 }} />
        {staff && (
          <Badge
            status={live ? 'success' : 'default'}
            text={<span style={{ color: '#fff' }}>{live ? t('实时') : t('连接中…')}</span>}
          />
        )}
        <span style={{ color: '#cfe' }}>
          {name}
          {roles && ` · ${roles}`}
        </span>
        <LangSwitch dark />
        <Button size="small" onClick={() => void api.logout()}>
          {t('退出')}
        </Button>
      </Layout.Header>
      <Layout.Content style={{ padding: 16 }}>
        {error && (
          <Typography.Text type="danger" role="alert">
            {error}
          </Typography.Text>
        )}
        {tabs.length > 0 && (
          <Suspense fallback={<Loading />}>
            <Tabs items={tabs} />
          </Suspense>
        )}
        {me && tabs.length === 0 && (
          <Typography.Paragraph>{t('您的账号没有负责的社区')}</Typography.Paragraph>
        )}
      </Layout.Content>
    </Layout>
  );
}
