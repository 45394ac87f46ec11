/** My hall orders: status, what is in them, where a locker order waits, cancel before packing. */
import { Button, Card, Dialog, Empty, Space, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { useLive } from '../../../../shared/live.ts';
import { api } from '../../api.ts';
import { type Order, ORDER_STATUS, slotText, yuan } from '../../../../shared/hall.ts';

export function Orders() {
  const { t } = useT();
  const [orders, setOrders] = useState<Order[] | null>(null);
  const load = useCallback(
    () =>
      api
        .get<Order[]>('/me/hall-orders')
        .then(setOrders)
        .catch((e: Error) => Toast.show({ content: e.message })),
    [],
  );
  useEffect(() => void load(), [load]);
  // A locker order's parcel arriving or being picked up changes what we show.
  useLive(api, true, (f) => {
    if (f.type === 'parcel') void load();
  });
  const cancel = async (o: Order) => {
    if (
      !(await Dialog.confirm({
        content: t('取消订单？已付款项将原路退回。'),
        confirmText: t('取消订单'),
        cancelText: t('再想想'),
      }))
    )
      return;
    try {
      await api.post(`/me/hall-orders/${o.id}/cancel`);
      Toast.show({ icon: 'success', content: t('已取消，款项原路退回') });
      void load();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };
  if (!orders) return null;
  if (orders.length === 0) return <Empty description={t('还没有订单')} />;
  return (
    <Space direction="vertical" block>
      {orders.map((o) => {
        const parcel = o.parcel;
        const status =
          o.status === 'in_locker' && parcel?.status === 'picked_up'
            ? t('已取件')
            : o.status === 'in_locker' && parcel?.status === 'reserved'
              ? t('正在放入智能柜')
              : o.status === 'in_locker' && parcel?.status === 'cancelled'
                ? t('待重新放入智能柜')
                : o.status === 'paid' && o.lines.some((l) => l.appointment)
                  ? t('已预约，待服务')
                  : t(ORDER_STATUS[o.status]);
        return (
          <Card
            key={o.id}
            data-testid={`order-${o.code}`}
            title={`${t('订单')} ${o.code}`}
            extra={<Tag color={o.status === 'cancelled' ? 'default' : 'primary'}>{status}</Tag>}
          >
            {o.lines.map((l) => (
              <div key={l.itemId}>
                {l.name} × {l.quantity} · {yuan(l.priceFen * l.quantity)}
                {l.appointment && (
                  <div data-testid="appointment" style={{ color: '#1677ff' }}>
                    {t('预约')} {slotText(l.appointment.start, l.appointment.end)}
                    {l.appointment.atHome ? ` · ${t('上门')}` : ` · ${t('到馆')}`}
                    {l.appointment.status === 'cancelled' && ` · ${t('已取消')}`}
                  </div>
                )}
              </div>
            ))}
            <div style={{ marginTop: 8 }}>
              {t('合计')} {yuan(o.totalFen)}
              {o.refundedFen > 0 && ` · ${t('已退款')} ${yuan(o.refundedFen)}`} ·{' '}
              {when(o.createdAt)}
            </div>
            <div style={{ color: '#666' }}>
              {o.fulfilment === 'locker'
                ? t('送到楼下智能柜')
                : o.lines.some((l) => l.appointment)
                  ? t('按预约时间服务')
                  : t('到馆自取')}
              {parcel?.status === 'stored' &&
                ` · ${t('{{n}} 号格口，取件码见“快递”', { n: parcel.compartment })}`}
            </div>
            {(o.status === 'paid' || o.status === 'awaiting_payment') && (
              <Button size="small" style={{ marginTop: 8 }} onClick={() => void cancel(o)}>
                {t('取消订单')}
              </Button>
            )}
          </Card>
        );
      })}
    </Space>
  );
}
