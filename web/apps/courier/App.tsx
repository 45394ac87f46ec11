/**
 * The courier app: sign in, pick a locker from the list, deposit (size choice, the
 * recipient's delivery preference shown first), today's deposits (live), and
 * outgoing parcels to collect.
 */
import { TabBar } from 'antd-mobile';
import { DownlandOutline, UnorderedListOutline, UploadOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { deferred } from '../../shared/deferred.tsx';
import { useT } from '../../shared/i18n.ts';
import { useSession } from '../../shared/session.ts';
import { sessions } from './api.ts';
import { DepositFlow } from './features/Deposit.tsx';
import { Login } from './features/Login.tsx';

// The other tabs load when first opened: the deposit list is what a courier opens (≤ 150 KB first load).
const MyDeposits = deferred(() => import('./features/MyDeposits.tsx').then((m) => m.MyDeposits));
const Outgoing = deferred(() => import('./features/Outgoing.tsx').then((m) => m.Outgoing));

type Tab = 'deposit' | 'today' | 'outgoing';

export function App() {
  const session = useSession(sessions);
  const { t } = useT();
  const [tab, setTab] = useState<Tab>('deposit');
  if (!session) return <Login />;
  return (
    <div style={{ minHeight: '100vh', paddingBottom: 64, maxWidth: 560, margin: '0 auto' }}>
      <main>
        {tab === 'deposit' && <DepositFlow />}
        {tab === 'today' && <MyDeposits />}
        {tab === 'outgoing' && <Outgoing />}
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
          <TabBar.Item key="deposit" title={t('投递')} icon={<DownlandOutline />} />
          <TabBar.Item key="today" title={t('今日投递')} icon={<UnorderedListOutline />} />
          <TabBar.Item key="outgoing" title={t('揽收')} icon={<UploadOutline />} />
        </TabBar>
      </nav>
    </div>
  );
}
