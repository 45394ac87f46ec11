/**
 * 服务馆: the hall nearest home (hours, phone), its catalogue and cart, my orders, group
 * buys and bookings. Elder mode enlarges everything through elder.css.
 */
import { Card, ErrorBlock, NavBar, Segmented, Space } from 'antd-mobile';
import { ClockCircleOutline, EnvironmentOutline, PhoneFill } from 'antd-mobile-icons';
import { useEffect, useState } from 'react';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import { Bookings } from './Bookings.tsx';
import { Shop } from './Shop.tsx';
import { GroupBuys } from './GroupBuys.tsx';
import { Orders } from './Orders.tsx';
import type { Hall } from '../../../../shared/hall.ts';

type View = 'shop' | 'orders' | 'group' | 'book';

export function HallTab() {
  const { t } = useT();
  const [halls, setHalls] = useState<Hall[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<View>('shop');
  useEffect(() => {
    api.get<Hall[]>('/me/halls').then(setHalls, (e: Error) => setError(e.message));
  }, []);
  const hall = halls?.[0];
  return (
    <>
      <NavBar back={null}>{t('服务馆')}</NavBar>
      {error && <ErrorBlock status="default" title={error} description="" />}
      {halls && !hall && (
        <ErrorBlock
          status="empty"
          title={t('还没有服务馆')}
          description={t('绑定住址后，这里显示离家最近的服务馆')}
        />
      )}
      {hall && (
        <div style={{ padding: '0 12px 12px' }}>
          <Card data-testid="hall-card" title={hall.name}>
            <Space direction="vertical" style={{ '--gap': '4px' }}>
              <span>
                <EnvironmentOutline /> {hall.address}
              </span>
              <span>
                <ClockCircleOutline /> {t('营业时间')} {hall.openingHours}
              </span>
              {hall.phone && (
                <a href={`tel:${hall.phone.replace(/[^\d+]/g, '')}`}>
                  <PhoneFill /> {hall.phone}
                </a>
              )}
              {hall.intro && <span style={{ color: '#666' }}>{hall.intro}</span>}
            </Space>
          </Card>
          <div style={{ margin: '12px 0' }}>
            <Segmented
              block
              value={view}
              onChange={(v) => setView(v as View)}
              options={[
                { label: t('选购'), value: 'shop' },
                { label: t('订单'), value: 'orders' },
                { label: t('团购'), value: 'group' },
                { label: t('预约'), value: 'book' },
              ]}
            />
          </div>
          {view === 'shop' && <Shop hall={hall} onOrdered={() => setView('orders')} />}
          {view === 'orders' && <Orders />}
          {view === 'group' && <GroupBuys hall={hall} />}
          {view === 'book' && <Bookings hall={hall} />}
        </div>
      )}
    </>
  );
}
