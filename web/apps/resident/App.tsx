/**
 * The resident app (the mini-program's web twin): sign in with phone + SMS code, then
 * five tabs — parcels (live), hall, needs (找社区), notices, me. Hall is a placeholder
 * a later issue fills.
 */
import { TabBar } from 'antd-mobile';
import {
  BellOutline,
  MessageOutline,
  ShopbagOutline,
  TruckOutline,
  UserOutline,
} from 'antd-mobile-icons';
import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { useT } from '../../shared/i18n.ts';
import { useSession } from '../../shared/session.ts';
import { api, sessions } from './api.ts';
import { ParcelsTab } from './features/Parcels.tsx';
import { syncElderFromAccount } from './elder.ts';
import { AgreementGate, HallTab, Login, MeTab, NeedsTab, Notices } from './lazy.tsx';
import { forgetParcels } from './offline.ts';

type Tab = 'parcels' | 'hall' | 'needs' | 'notices' | 'me';

export function App() {
  const session = useSession(sessions);
  const { t } = useT();
  // An invitation link (?invite=12345678) opens 我的, where the code is already filled in.
  const [tab, setTab] = useState<Tab>(() =>
    new URLSearchParams(location.search).has('invite') ? 'me' : 'parcels',
  );
  const [mustAgree, setMustAgree] = useState(false);
  const userId = session?.userId;
  useEffect(() => {
    if (!userId) return;
    void syncElderFromAccount(api);
    // Offline the check fails and the app opens (with the last parcel list); it asks again next time.
    api.get<{ upToDate: boolean }>('/me/agreements').then(
      (a) => setMustAgree(!a.upToDate),
      () => setMustAgree(false),
    );
  }, [userId]);
  if (!session) return <Login />;
  if (mustAgree)
    return (
      <AgreementGate
        onAccepted={() => setMustAgree(false)}
        onDecline={() => void api.logout().finally(forgetParcels)}
      />
    );
  const tabs: { key: Tab; title: string; icon: ReactNode }[] = [
    { key: 'parcels', title: t('快递'), icon: <TruckOutline /> },
    { key: 'hall', title: t('服务馆'), icon: <ShopbagOutline /> },
    { key: 'needs', title: t('找社区'), icon: <MessageOutline /> },
    { key: 'notices', title: t('通知'), icon: <BellOutline /> },
    { key: 'me', title: t('我的'), icon: <UserOutline /> },
  ];
  return (
    <div style={{ minHeight: '100vh', paddingBottom: 64, maxWidth: 560, margin: '0 auto' }}>
      <main>
        {tab === 'parcels' && <ParcelsTab />}
        {tab === 'hall' && <HallTab />}
        {tab === 'needs' && <NeedsTab />}
        {tab === 'notices' && <Notices />}
        {tab === 'me' && <MeTab onLogout={() => void api.logout().finally(forgetParcels)} />}
      </main>
      <nav
        style={{
          position: 'fixed',
          bottom: 0,
          left: 0,
          right: 0,
          background: '#fff',
          borderTop: '1px solid #eee',
          maxWidth: 560,
          margin: '0 auto',
        }}
      >
        <TabBar activeKey={tab} onChange={(k) => setTab(k as Tab)} safeArea>
          {tabs.map((x) => (
            <TabBar.Item key={x.key} title={x.title} icon={x.icon} />
          ))}
        </TabBar>
      </nav>
    </div>
  );
}
