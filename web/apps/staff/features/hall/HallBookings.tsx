/** The bookings day view: every table and room, each booking's slot, size and state; approve big meetings; check in by code. */
import { App, Button, DatePicker, Input, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { clock } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import type { Booking, SpaceDay } from '../../../../shared/hall.ts';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const STATUS: Record<string, string> = {
  confirmed: '已预约',
  pending_approval: '待审批',
  checked_in: '已签到',
  cancelled: '已取消',
  rejected: '已拒绝',
};

export function HallBookings({ hallId }: { hallId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [day, setDay] = useState(today());
  const [view, setView] = useState<{ spaces: SpaceDay[]; bookings: Booking[] } | null>(null);
  const [code, setCode] = useState('');
  const load = useCallback(
    () =>
      api
        .get<{ spaces: SpaceDay[]; bookings: Booking[] }>(`/halls/${hallId}/bookings?day=${day}`)
        .then(setView)
        .catch((e: Error) => void message.error(e.message)),
    [hallId, day, message],
  );
  useEffect(() => void load(), [load]);
  const post = async (path: string, body: object = {}) => {
    try {
      await api.post(`/halls/${hallId}/bookings/${path}`, body);
      void message.success(t('已完成'));
      void load();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <DatePicker
          allowClear={false}
          onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))}
          placeholder={day}
          aria-label={t('日期')}
        />
        <Input
          value={code}
          onChange={(e) => setCode(e.target.value.trim())}
          maxLength={6}
          placeholder={t('签到码')}
          aria-label={t('签到码')}
          style={{ width: 120 }}
        />
        <Button disabled={!/^\d{6}$/.test(code)} onClick={() => void post('check-in', { code })}>
          {t('签到')}
        </Button>
      </Space>
      {view?.spaces.map((s) => (
        <div key={s.id} style={{ marginBottom: 16 }}>
          <h4>
            {s.name} · {t('每时段 {{n}} 个', { n: s.capacity })}
          </h4>
          <Space wrap size={4}>
            {s.slots.map((slot) => (
              <Tag
                key={slot.start}
                color={slot.free === 0 ? 'red' : slot.free < s.capacity ? 'orange' : 'default'}
              >
                {clock(slot.start)} {slot.free}/{s.capacity}
              </Tag>
            ))}
          </Space>
          <Table<Booking>
            rowKey="id"
            size="small"
            pagination={false}
            style={{ marginTop: 8 }}
            dataSource={view.bookings.filter((b) => b.spaceId === s.id)}
            locale={{ emptyText: t('当天没有预约') }}
            columns={[
              { title: t('时段'), render: (_, b) => `${clock(b.start)}–${clock(b.end)}` },
              { title: t('人数'), dataIndex: 'partySize' },
              { title: t('用途'), dataIndex: 'purpose' },
              { title: t('状态'), render: (_, b) => <Tag>{t(STATUS[b.status] ?? b.status)}</Tag> },
              {
                title: t('操作'),
                render: (_, b) =>
                  b.status === 'pending_approval' && (
                    <Space>
                      <Button
                        size="small"
                        type="primary"
                        onClick={() => void post(`${b.id}/approve`)}
                      >
                        {t('批准')}
                      </Button>
                      <Button size="small" danger onClick={() => void post(`${b.id}/reject`)}>
                        {t('拒绝')}
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
        </div>
      ))}
    </>
  );
}
