/** Outgoing parcels residents left for my carrier: open the compartment to collect. */
import { Button, Dialog, Empty, List, NavBar, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { SIZE_LABEL } from '../../../shared/types.ts';
import { api } from '../api.ts';

interface OutgoingParcel {
  parcelId: string;
  lockerId: string;
  lockerName: string;
  address: string;
  compartment: number;
  size: string;
  storedAt: string | null;
}

export function Outgoing() {
  const { t } = useT();
  const [items, setItems] = useState<OutgoingParcel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () =>
      api
        .get<OutgoingParcel[]>('/courier/outgoing')
        .then(setItems)
        .catch((e: Error) => setError(e.message)),
    [],
  );
  useEffect(() => void load(), [load]);
  const collect = async (p: OutgoingParcel) => {
    if (
      !(await Dialog.confirm({
        content: t('确认您已在柜前？将打开 {{n}} 号格口', { n: p.compartment }),
        confirmText: t('开柜'),
        cancelText: t('取消'),
      }))
    )
      return;
    try {
      await api.post(`/courier/outgoing/${p.parcelId}/collect`);
      Toast.show({ icon: 'success', content: t('已发送开柜指令，取出后请关门') });
      setTimeout(() => void load(), 1500);
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };
  return (
    <>
      <NavBar back={null}>{t('待揽收')}</NavBar>
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: 16 }}>
          {error}
        </div>
      )}
      {items && items.length === 0 && <Empty description={t('暂无待揽收的快递')} />}
      <List>
        {items?.map((p) => (
          <List.Item
            key={p.parcelId}
            description={`${p.address} · ${t(SIZE_LABEL[p.size] ?? p.size)} · ${when(p.storedAt)}`}
            extra={
              <Button size="small" color="primary" onClick={() => void collect(p)}>
                {t('开柜揽收')}
              </Button>
            }
          >
            {p.lockerName} · {t('{{n}} 号格口', { n: p.compartment })}
          </List.Item>
        ))}
      </List>
    </>
  );
}
