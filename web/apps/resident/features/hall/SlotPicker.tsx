/** Pick the day and time slot of a service by appointment: the next 7 days, each slot with its free places. */
import { Button, Card, Popup, Selector, Space, Toast } from 'antd-mobile';
import { useEffect, useMemo, useState } from 'react';
import { clock } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import type { Item, ServiceSlots } from '../../../../shared/hall.ts';

/** The next 7 days as Shanghai calendar dates. */
function days(): string[] {
  return Array.from({ length: 7 }, (_, i) =>
    new Date(Date.now() + 8 * 3_600_000 + i * 86_400_000).toISOString().slice(0, 10),
  );
}

export function SlotPicker({
  hallId,
  item,
  onPick,
  onClose,
}: {
  hallId: string;
  /** The service being booked; null hides the picker. */
  item: Item | null;
  onPick: (slot: { start: string; end: string }) => void;
  onClose: () => void;
}) {
  const { t } = useT();
  const choices = useMemo(days, []);
  const [day, setDay] = useState(choices[0]!);
  const [slots, setSlots] = useState<ServiceSlots | null>(null);
  useEffect(() => {
    if (!item) return;
    setSlots(null);
    api
      .get<ServiceSlots>(`/me/halls/${hallId}/services/${item.id}/slots?day=${day}`)
      .then(setSlots)
      .catch((e: Error) => Toast.show({ content: e.message }));
  }, [hallId, item, day]);
  return (
    <Popup visible={!!item} onMaskClick={onClose} bodyStyle={{ padding: 16 }}>
      <Card title={t('选择预约时间 · {{name}}', { name: item?.name ?? '' })}>
        <Space direction="vertical" block>
          <Selector
            columns={4}
            options={choices.map((d, i) => ({
              label: i === 0 ? t('今天') : i === 1 ? t('明天') : d.slice(5),
              value: d,
            }))}
            value={[day]}
            onChange={(v) => v[0] && setDay(v[0])}
          />
          {slots && (
            <div style={{ color: '#666' }}>
              {t('服务时间 {{hours}}，每次 {{n}} 分钟', {
                hours: slots.hours,
                n: slots.slotMinutes,
              })}
              {slots.atHome && ` · ${t('上门服务，到您家单元')}`}
            </div>
          )}
          <Space wrap data-testid="service-slots">
            {slots?.slots.map((s) => (
              <Button
                key={s.start}
                size="small"
                disabled={!s.open || s.free === 0}
                onClick={() => onPick(s)}
                data-testid={`service-slot-${clock(s.start)}`}
              >
                {clock(s.start)}{' '}
                {!s.open ? t('已过') : s.free > 0 ? t('余 {{n}}', { n: s.free }) : t('满')}
              </Button>
            ))}
          </Space>
          {slots && !slots.slots.some((s) => s.open && s.free > 0) && (
            <div style={{ color: '#999' }}>{t('这一天没有可约的时段，请换一天。')}</div>
          )}
        </Space>
      </Card>
    </Popup>
  );
}
