/**
 * The hall console: today's orders to pack and deliver (one click deposits a locker order
 * into the resident's unit locker), the day's service appointments, group buys, the bookings day view, the catalogue with
 * stock alerts. Overdue parcels on the shelf are the 逾期转服务馆 tab.
 */
import { Tabs } from 'antd';
import { useT } from '../../../../shared/i18n.ts';
import { HallAppointments } from './HallAppointments.tsx';
import { HallBookings } from './HallBookings.tsx';
import { HallCatalogue } from './HallCatalogue.tsx';
import { HallGroupBuys } from './HallGroupBuys.tsx';
import { HallOrders } from './HallOrders.tsx';

export function HallConsole({ hallId }: { hallId: string }) {
  const { t } = useT();
  return (
    <Tabs
      size="small"
      items={[
        { key: 'orders', label: t('今日订单'), children: <HallOrders hallId={hallId} /> },
        {
          key: 'appointments',
          label: t('服务预约'),
          children: <HallAppointments hallId={hallId} />,
        },
        { key: 'group', label: t('团购'), children: <HallGroupBuys hallId={hallId} /> },
        { key: 'bookings', label: t('场地预约'), children: <HallBookings hallId={hallId} /> },
        { key: 'catalogue', label: t('商品与库存'), children: <HallCatalogue hallId={hallId} /> },
      ]}
    />
  );
}
