/** My deposits today (Beijing day), live: a parcel turns "picked up" as it happens. */
import { Empty, List, NavBar, Tag } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { clock } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { useLive } from '../../../shared/live.ts';
import { type CourierParcel, PARCEL_STATUS } from '../../../shared/types.ts';
import { api } from '../api.ts';

/** Midnight in Asia/Shanghai (UTC+8, no DST) as ISO. */
function startOfBeijingDay(): string {
  const now = Date.now() + 8 * 3600_000;
  return new Date(now - (now % 86_400_000) - 8 * 3600_000).toISOString();
}

export function MyDeposits() {
  const { t } = useT();
  const [items, setItems] = useState<CourierParcel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () =>
      api
        .get<CourierParcel[]>(`/courier/deposits?since=${encodeURIComponent(startOfBeijingDay())}`)
        .then(setItems)
        .catch((e: Error) => setError(e.message)),
    [],
  );
  useEffect(() => void load(), [load]);
  useLive(api, true, (f) => (f.type === 'parcel' || f.type === 'ready') && void load());
  return (
    <>
      <NavBar back={null}>
        {t('今日投递')} {items ? `(${items.length})` : ''}
      </NavBar>
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: 16 }}>
          {error}
        </div>
      )}
      {items && items.length === 0 && <Empty description={t('今天还没有投递')} />}
      <List>
        {items?.map((p) => (
          <List.Item
            key={p.parcelId}
            description={`${p.placeName || p.lockerId} · ${t('{{n}} 号格口', { n: p.compartment })} · ${p.recipientPhone ?? ''} · ${clock(p.createdAt)}`}
            extra={
              <Tag
                color={
                  p.status === 'picked_up'
                    ? 'success'
                    : p.status === 'stored'
                      ? 'primary'
                      : 'default'
                }
              >
                {t(PARCEL_STATUS[p.status] ?? p.status)}
              </Tag>
            }
          >
            {p.waybill ?? '—'}
          </List.Item>
        ))}
      </List>
    </>
  );
}
