/**
 * The result of a deposit, honest (issue 12): the headline follows what really happened
 * — opening, opened, stored, cancelled because the door shut on an empty compartment,
 * the door did not open, the locker did not answer — refetched on every live frame
 * about this parcel, never the optimistic "opened" of the moment it was accepted.
 */
import { Button, Card, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import { useLive } from '../../../shared/live.ts';
import type { CourierParcel } from '../../../shared/types.ts';
import { api } from '../api.ts';

type Outcome = NonNullable<CourierParcel['outcome']>;
const HEADLINE: Record<
  Outcome,
  { text: string; tag: string; color: 'primary' | 'success' | 'warning' | 'danger' | 'default' }
> = {
  opening: { text: '正在开柜，请稍候…', tag: '开柜中', color: 'primary' },
  opened: { text: '{{n}} 号格口已打开，放入快递后请关门', tag: '已开柜', color: 'warning' },
  stored: { text: '已入柜，取件码已发送给收件人', tag: '已入柜', color: 'success' },
  closed_empty: { text: '柜门已关但格口是空的，本次投递已取消', tag: '已取消', color: 'danger' },
  door_jammed: {
    text: '{{n}} 号格口门没有打开，本次投递已取消，请重新投递或换一个柜子',
    tag: '已取消',
    color: 'danger',
  },
  no_answer: { text: '柜子没有响应（可能已离线），本次投递已取消', tag: '已取消', color: 'danger' },
  lapsed: { text: '超时未放入快递，本次投递已取消', tag: '已取消', color: 'danger' },
  picked_up: { text: '收件人已取件', tag: '已取件', color: 'success' },
  other: { text: '本次投递已结束', tag: '已结束', color: 'default' },
};

/** The result card of one deposit, live until it settles. */
export function DepositResult({ first, onNext }: { first: CourierParcel; onNext(): void }) {
  const { t } = useT();
  const [p, setP] = useState<CourierParcel>(first);
  const outcome: Outcome = p.outcome ?? 'opening';
  const settled = outcome !== 'opening' && outcome !== 'opened';
  useLive(api, !settled, (f) => {
    if (f.type === 'ready' || (f.type === 'parcel' && f.parcelId === p.parcelId)) {
      void api
        .get<CourierParcel>(`/courier/parcels/${p.parcelId}`)
        .then(setP)
        .catch(() => {});
    }
  });
  const h = HEADLINE[outcome];
  return (
    <Card style={{ margin: 12 }}>
      <div
        role="status"
        data-testid="deposit-result"
        data-status={p.status}
        data-outcome={outcome}
        style={{ fontSize: 22, fontWeight: 700, textAlign: 'center', padding: '16px 0' }}
      >
        {t(h.text, { n: p.compartment })}
      </div>
      <div style={{ textAlign: 'center', color: '#555', marginBottom: 8 }}>
        {p.placeName} · {t('{{n}} 号格口', { n: p.compartment })}
      </div>
      <div style={{ textAlign: 'center', marginBottom: 12 }}>
        <Tag color={h.color}>{t(h.tag)}</Tag>
      </div>
      <Button block color="primary" size="large" onClick={onNext}>
        {settled ? t('继续投递') : t('投递下一件')}
      </Button>
    </Card>
  );
}
