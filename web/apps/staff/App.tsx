/**
 * The staff console (desktop, antd): lockers of my area with live compartment state,
 * alerts with acknowledge, parcel search (masked), remote open with a reason, and the
 * hall's overdue shelf. One live stream drives every refresh.
 */
import { App as AntApp, Badge, Button, ConfigProvider, Layout, Select, Space, Tabs, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useMemo, useState } from 'react';
import { useT } from '../../shared/i18n.ts';
import { LangSwitch } from '../../shared/LangSwitch.tsx';
import { type LiveFrame, useLive } from '../../shared/live.ts';
import { useSession } from '../../shared/session.ts';
import type { Me } from '../../shared/types.ts';
import { api, sessions } from './api.ts';
import { Alerts } from './features/Alerts.tsx';
import { Lockers } from './features/Lockers.tsx';
import { Login } from './features/Login.tsx';
import { Overdue } from './features/Overdue.tsx';
import { ParcelSearch } from './features/ParcelSearch.tsx';

interface Community {
  id: string;
  name: string;
}

/** Communities the signed-in staff member covers, named. */
async function myCommunities(me: Me): Promise<Community[]> {
  const ids = new Set<string>();
  const wide = me.grants.some((g) => g.scopeKind === 'platform' || g.scopeKind === 'subdistrict');
  if (wide) {
    for (const s of await api.get<{ id: string }[]>('/subdistricts')) for (const c of await api.get<Community[]>(`/subdistricts/${s.id}/communities`)) ids.add(c.id);
  }
  for (const g of me.grants) if (g.communityId) ids.add(g.communityId);
  return Promise.all([...ids].map((id) => api.get<Community>(`/communities/${id}`).catch(() => ({ id, name: id }))));
}

export function App() {
  const session = useSession(sessions);
  const { lang } = useT();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#0a7a5a' } }}>
      <AntApp>{session ? <Console /> : <Login />}</AntApp>
    </ConfigProvider>
  );
}

function Console() {
  const { t } = useT();
  const [me, setMe] = useState<Me | null>(null);
  const [communities, setCommunities] = useState<Community[]>([]);
  const [communityId, setCommunityId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState<{ alerts: number; lockers: number; lastLocker: string | null }>({ alerts: 0, lockers: 0, lastLocker: null });
  const [openAlerts, setOpenAlerts] = useState(0);

  useEffect(() => {
    api
      .get<Me>('/me')
      .then(async (m) => {
        setMe(m);
        const cs = await myCommunities(m);
        setCommunities(cs);
        setCommunityId(cs[0]?.id ?? null);
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const onFrame = (f: LiveFrame) => {
    if (f.type === 'alert' || f.type === 'ready') setTick((x) => ({ ...x, alerts: x.alerts + 1 }));
    if (f.type === 'compartment' || f.type === 'ready') setTick((x) => ({ ...x, lockers: x.lockers + 1, lastLocker: f.type === 'compartment' ? f.lockerId : null }));
  };
  const live = useLive(api, true, onFrame);
  const hallId = useMemo(() => me?.grants.find((g) => g.scopeKind === 'hall')?.scopeId ?? null, [me]);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#0a3d30' }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>{t('蚁巢 · 管理后台')}</Typography.Title>
        <Select aria-label={t('社区')} style={{ minWidth: 180 }} value={communityId ?? undefined} onChange={setCommunityId} options={communities.map((c) => ({ value: c.id, label: c.name }))} placeholder={t('选择社区')} />
        <span style={{ flex: 1 }} />
        <Badge status={live ? 'success' : 'default'} text={<span style={{ color: '#fff' }}>{live ? t('实时') : t('连接中…')}</span>} />
        <span style={{ color: '#cfe' }}>{me?.displayName}</span>
        <LangSwitch dark />
        <Button size="small" onClick={() => void api.logout()}>{t('退出')}</Button>
      </Layout.Header>
      <Layout.Content style={{ padding: 16 }}>
        {error && <Typography.Text type="danger" role="alert">{error}</Typography.Text>}
        {communityId && (
          <Tabs
            items={[
              { key: 'alerts', label: <Space>{t('告警')}<Badge count={openAlerts} /></Space>, children: <Alerts communityId={communityId} refresh={tick.alerts} onCount={setOpenAlerts} /> },
              { key: 'lockers', label: t('智能柜'), children: <Lockers communityId={communityId} refresh={tick.lockers} changedLocker={tick.lastLocker} /> },
              { key: 'parcels', label: t('包裹查询'), children: <ParcelSearch communityId={communityId} /> },
              ...(hallId ? [{ key: 'overdue', label: t('逾期转服务馆'), children: <Overdue hallId={hallId} /> }] : []),
            ]}
          />
        )}
        {me && communities.length === 0 && <Typography.Paragraph>{t('您的账号没有负责的社区')}</Typography.Paragraph>}
      </Layout.Content>
    </Layout>
  );
}
