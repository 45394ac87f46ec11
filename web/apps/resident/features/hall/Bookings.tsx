/** Book a rest-area table or the meeting room: pick a day and a free slot; my bookings with their check-in codes. */
import { Button, Card, Dialog, Input, Selector, Space, Stepper, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { clock, when } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import type { Booking, Hall, SpaceDay } from '../../../../shared/hall.ts';

/** The next 7 days as Shanghai calendar dates. */
function days(): string[] {
  return Array.from({ length: 7 }, (_, i) =>
    new Date(Date.now() + 8 * 3_600_000 + i * 86_400_000).toISOString().slice(0, 10),
  );
}
const STATUS: Record<Booking['status'], string> = {
  confirmed: '已预约',
  pending_approval: '待审批',
  checked_in: '已签到',
  cancelled: '已取消',
  rejected: '未通过',
};

export function Bookings({ hall }: { hall: Hall }) {
  const { t } = useT();
  const choices = useMemo(days, []);
  const [day, setDay] = useState(choices[1]!);
  const [spaces, setSpaces] = useState<SpaceDay[]>([]);
  const [mine, setMine] = useState<Booking[]>([]);
  const load = useCallback(async () => {
    try {
      setSpaces(await api.get<SpaceDay[]>(`/me/halls/${hall.id}/spaces?day=${day}`));
      setMine(await api.get<Booking[]>('/me/hall-bookings'));
    } catch (e) {
      Toast.show({ content: (e as Error).message });
    }
  }, [hall.id, day]);
  useEffect(() => void load(), [load]);

  const book = async (s: SpaceDay, start: string) => {
    let party = 2;
    let purpose = '';
    const ok = await Dialog.confirm({
      title: `${s.name} ${day.slice(5)} ${clock(start)}`,
      content: (
        <Space direction="vertical" block>
          <span>{t('人数（最多 {{n}} 人）', { n: s.seats })}</span>
          <Stepper
            min={1}
            max={s.seats}
            defaultValue={2}
            onChange={(n) => (party = n)}
            aria-label={t('人数')}
          />
          <Input
            placeholder={t('用途，例如：楼栋议事、读书会')}
            maxLength={100}
            onChange={(v) => (purpose = v)}
            aria-label={t('用途')}
          />
          {s.approvalOver !== null && (
            <span style={{ color: '#666' }}>
              {t('超过 {{n}} 人的会议需服务馆审批', { n: s.approvalOver })}
            </span>
          )}
        </Space>
      ),
      confirmText: t('预约'),
      cancelText: t('取消'),
    });
    if (!ok) return;
    try {
      const b = await api.post<Booking>(`/me/hall-spaces/${s.id}/bookings`, {
        start,
        partySize: party,
        purpose,
      });
      await Dialog.alert({
        content:
          b.status === 'pending_approval'
            ? t('已提交，等待服务馆审批。签到码 {{code}}', { code: b.checkinCode })
            : t('预约成功，到馆出示签到码 {{code}}', { code: b.checkinCode }),
        confirmText: t('知道了'),
      });
      void load();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };
  const cancel = async (b: Booking) => {
    try {
      await api.post(`/me/hall-bookings/${b.id}/cancel`);
      void load();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };

  return (
    <Space direction="vertical" block>
      {mine
        .filter((b) => b.status !== 'cancelled')
        .map((b) => (
          <Card
            key={b.id}
            data-testid="my-booking"
            title={`${b.spaceName} · ${when(b.start)}`}
            extra={<Tag color="primary">{t(STATUS[b.status])}</Tag>}
          >
            {b.checkinCode && (
              <div>
                {t('签到码')} <b style={{ fontSize: '1.4em', letterSpacing: 2 }}>{b.checkinCode}</b>
              </div>
            )}
            <div style={{ color: '#666' }}>
              {t('{{n}} 人', { n: b.partySize })} {b.purpose}
            </div>
            {(b.status === 'confirmed' || b.status === 'pending_approval') && (
              <Button size="small" style={{ marginTop: 8 }} onClick={() => void cancel(b)}>
                {t('取消预约')}
              </Button>
            )}
          </Card>
        ))}
      <Selector
        columns={4}
        options={choices.map((d) => ({ label: d.slice(5), value: d }))}
        value={[day]}
        onChange={(v) => v[0] && setDay(v[0])}
      />
      {spaces.map((s) => (
        <Card key={s.id} title={s.name} extra={<span>{t('{{n}} 座', { n: s.seats })}</span>}>
          <Space wrap>
            {s.slots.map((slot) => (
              <Button
                key={slot.start}
                size="small"
                disabled={!slot.bookable}
                onClick={() => void book(s, slot.start)}
                data-testid={`slot-${s.kind}-${clock(slot.start)}`}
              >
                {clock(slot.start)} {slot.free > 0 ? t('余 {{n}}', { n: slot.free }) : t('满')}
              </Button>
            ))}
          </Space>
        </Card>
      ))}
    </Space>
  );
}
