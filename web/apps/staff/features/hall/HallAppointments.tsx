/**
 * The service appointments of a day: time, service, where (the unit for a home visit, else
 * the hall), the order code and the resident's note — what staff need to turn up, nothing
 * more. "Done" completes the order once the service is delivered.
 */
import { App, Button, DatePicker, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { clock } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import { type AppointmentDay, ORDER_STATUS } from '../../../../shared/hall.ts';

type Appointment = AppointmentDay['appointments'][number];
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export function HallAppointments({ hallId }: { hallId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [day, setDay] = useState(today());
  const [view, setView] = useState<AppointmentDay | null>(null);
  const load = useCallback(
    () =>
      api
        .get<AppointmentDay>(`/halls/${hallId}/appointments?day=${day}`)
        .then(setView)
        .catch((e: Error) => void message.error(e.message)),
    [hallId, day, message],
  );
  useEffect(() => void load(), [load]);
  const complete = async (a: Appointment) => {
    try {
      await api.post(`/halls/${hallId}/orders/${a.orderId}/complete`, {});
      void message.success(t('已完成'));
      void load();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <DatePicker
          allowClear={false}
          onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))}
          placeholder={day}
          aria-label={t('日期')}
        />
      </Space>
      <Table<Appointment>
        rowKey="id"
        size="small"
        pagination={false}
        data-testid="appointments"
        dataSource={view?.appointments ?? []}
        locale={{ emptyText: t('当天没有服务预约') }}
        columns={[
          { title: t('时段'), render: (_, a) => `${clock(a.start)}–${clock(a.end)}` },
          { title: t('服务'), dataIndex: 'service' },
          {
            title: t('地点'),
            render: (_, a) =>
              a.where ? <Tag color="purple">{`${t('上门')} ${a.where}`}</Tag> : t('到馆'),
          },
          { title: t('人数/次数'), dataIndex: 'places' },
          { title: t('单号'), dataIndex: 'orderCode' },
          { title: t('备注'), render: (_, a) => a.note ?? '' },
          {
            title: t('状态'),
            render: (_, a) => (
              <Tag>
                {a.orderStatus === 'paid'
                  ? t('已支付，待服务')
                  : t(ORDER_STATUS[a.orderStatus as keyof typeof ORDER_STATUS] ?? a.orderStatus)}
              </Tag>
            ),
          },
          {
            title: t('操作'),
            render: (_, a) =>
              (a.orderStatus === 'paid' || a.orderStatus === 'ready') && (
                <Button size="small" onClick={() => void complete(a)}>
                  {t('服务完成')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
