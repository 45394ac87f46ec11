/** The hall's overdue shelf: parcels to fetch from lockers (open the compartment), shelved, handed over. */
import { App, Button, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { api } from '../api.ts';
import { placeText } from '../place.ts';
import { useLockerPlaces } from '../useLockerPlaces.ts';

interface ShelfItem {
  id: string;
  parcelId: string;
  status: string;
  slot: string | null;
  lockerId: string;
  compartment: number;
  createdAt: string;
  movedAt: string | null;
}
const STATUS: Record<string, string> = { to_move: '待从柜中取出', on_shelf: '在货架', handed_over: '已交付' };

export function Overdue({ hallId }: { hallId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<ShelfItem[]>([]);
  const places = useLockerPlaces(rows.map((r) => r.lockerId));
  const load = useCallback(() => api.get<ShelfItem[]>(`/halls/${hallId}/shelf`).then(setRows).catch((e: Error) => void message.error(e.message)), [hallId, message]);
  useEffect(() => void load(), [load]);
  const retrieve = async (i: ShelfItem) => {
    try {
      await api.post(`/halls/${hallId}/shelf/${i.id}/retrieve`);
      void message.success(t('已打开 {{n}} 号格口，请取出后放上货架', { n: i.compartment }));
      setTimeout(() => void load(), 1500);
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <Table<ShelfItem>
      rowKey="id"
      dataSource={rows}
      columns={[
        { title: t('位置'), render: (_: unknown, i) => placeText(places[i.lockerId], i.lockerId, t, i.compartment) },
        { title: t('状态'), dataIndex: 'status', render: (s: string) => <Tag>{t(STATUS[s] ?? s)}</Tag> },
        { title: t('货架位置'), dataIndex: 'slot', render: (s: string | null) => s ?? '—' },
        { title: t('逾期时间'), dataIndex: 'createdAt', render: when },
        { title: t('操作'), render: (_: unknown, i) => (i.status === 'to_move' ? <Button size="small" type="primary" onClick={() => void retrieve(i)}>{t('开柜取出')}</Button> : null) },
      ]}
    />
  );
}
