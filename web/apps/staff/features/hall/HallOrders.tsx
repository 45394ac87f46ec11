/** Orders to pack and deliver: one click puts a locker order into the resident's unit locker (a parcel with a code). */
import { App, Button, InputNumber, Popconfirm, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { useLive } from '../../../../shared/live.ts';
import { api } from '../../api.ts';
import { type Order, ORDER_STATUS, yuan } from '../../../../shared/hall.ts';

export function HallOrders({ hallId }: { hallId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Order[]>([]);
  const [refund, setRefund] = useState<Record<string, number>>({});
  const load = useCallback(
    () =>
      api
        .get<Order[]>(`/halls/${hallId}/orders`)
        .then(setRows)
        .catch((e: Error) => void message.error(e.message)),
    [hallId, message],
  );
  useEffect(() => void load(), [load]);
  useLive(api, true, () => void load());
  const act = async (o: Order, step: string, body: object = {}) => {
    try {
      await api.post(`/halls/${hallId}/orders/${o.id}/${step}`, body);
      void message.success(t('已完成'));
      void load();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <Table<Order>
      rowKey="id"
      size="small"
      dataSource={rows}
      pagination={false}
      locale={{ emptyText: t('暂无待处理订单') }}
      columns={[
        { title: t('单号'), dataIndex: 'code' },
        { title: t('下单时间'), render: (_, o) => when(o.createdAt) },
        {
          title: t('商品'),
          render: (_, o) => o.lines.map((l) => `${l.name}×${l.quantity}`).join('，'),
        },
        { title: t('金额'), render: (_, o) => yuan(o.totalFen - o.refundedFen) },
        {
          title: t('方式'),
          render: (_, o) => (o.fulfilment === 'locker' ? t('送到单元智能柜') : t('到馆自取')),
        },
        {
          title: t('状态'),
          render: (_, o) => (
            <Tag color={o.status === 'in_locker' ? 'green' : 'blue'}>
              {o.status === 'in_locker' && o.parcel
                ? o.parcel.status === 'cancelled'
                  ? t('投柜未成功，请重新投柜')
                  : o.parcel.status === 'reserved'
                    ? t('柜门已开，放入后关门')
                    : o.parcel.status === 'picked_up'
                      ? t('居民已取件')
                      : t('已存入 {{n}} 号格口', { n: o.parcel.compartment })
                : t(ORDER_STATUS[o.status])}
            </Tag>
          ),
        },
        {
          title: t('操作'),
          render: (_, o) => (
            <Space wrap>
              {o.fulfilment === 'locker' &&
                (o.status === 'paid' ||
                  o.status === 'ready' ||
                  (o.status === 'in_locker' && o.parcel?.status === 'cancelled')) && (
                  <Button
                    type="primary"
                    size="small"
                    onClick={() => void act(o, 'deliver', { size: 'M' })}
                    data-testid={`deliver-${o.code}`}
                  >
                    {t('投柜')}
                  </Button>
                )}
              {o.fulfilment === 'pickup' && o.status === 'paid' && (
                <Button size="small" onClick={() => void act(o, 'ready')}>
                  {t('已备好')}
                </Button>
              )}
              {o.fulfilment === 'pickup' && (o.status === 'paid' || o.status === 'ready') && (
                <Button size="small" onClick={() => void act(o, 'complete')}>
                  {t('已交付')}
                </Button>
              )}
              {(o.status === 'paid' || o.status === 'ready') && (
                <Popconfirm
                  title={t('取消并全额退款？')}
                  onConfirm={() => void act(o, 'cancel', { reason: '服务馆取消' })}
                >
                  <Button size="small" danger>
                    {t('取消')}
                  </Button>
                </Popconfirm>
              )}
              <InputNumber
                size="small"
                min={0.01}
                max={(o.totalFen - o.refundedFen) / 100}
                step={1}
                placeholder={t('退款元')}
                aria-label={t('退款金额（元）')}
                onChange={(v) =>
                  setRefund((r) => ({ ...r, [o.id]: Math.round(Number(v ?? 0) * 100) }))
                }
              />
              <Button
                size="small"
                disabled={!refund[o.id]}
                onClick={() =>
                  void act(o, 'refunds', { amountFen: refund[o.id], reason: '部分退款' })
                }
              >
                {t('部分退款')}
              </Button>
            </Space>
          ),
        },
      ]}
    />
  );
}
