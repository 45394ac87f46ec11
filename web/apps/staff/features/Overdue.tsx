/** The hall's overdue shelf: parcels to fetch from lockers (open the compartment), shelved, handed over. */
import { App, Button, Input, Space, Table, Tag } from 'antd';
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
  /** False once the door opened for staff to take it out. */
  inLocker: boolean;
  createdAt: string;
  movedAt: string | null;
}
const STATUS: Record<string, string> = {
  to_move: '待从柜中取出',
  taken_out: '已取出，待上架',
  on_shelf: '在货架',
  handed_over: '已交付',
};

export function Overdue({ hallId }: { hallId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<ShelfItem[]>([]);
  const places = useLockerPlaces(rows.map((r) => r.lockerId));
  const load = useCallback(
    () =>
      api
        .get<ShelfItem[]>(`/halls/${hallId}/shelf`)
        .then(setRows)
        .catch((e: Error) => void message.error(e.message)),
    [hallId, message],
  );
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
  // Shelve with a slot, hand over against the resident's code: one text field per row, then the button.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const act = async (i: ShelfItem, step: 'shelve' | 'hand-over') => {
    const value = (typed[i.id] ?? '').trim();
    try {
      await api.post(
        `/halls/${hallId}/shelf/${i.id}/${step}`,
        step === 'shelve' ? { slot: value } : { code: value },
      );
      void message.success(step === 'shelve' ? t('已上架，已通知收件人') : t('已交付'));
      setTyped((m) => ({ ...m, [i.id]: '' }));
      void load();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  const field = (i: ShelfItem, step: 'shelve' | 'hand-over') => (
    <Space.Compact size="small">
      <Input
        style={{ width: 120 }}
        aria-label={step === 'shelve' ? t('货架位置') : t('取件码')}
        placeholder={step === 'shelve' ? 'A-03' : t('取件码')}
        value={typed[i.id] ?? ''}
        onChange={(e) => setTyped((m) => ({ ...m, [i.id]: e.target.value }))}
      />
      <Button type="primary" onClick={() => void act(i, step)}>
        {step === 'shelve' ? t('上架') : t('交付')}
      </Button>
    </Space.Compact>
  );
  return (
    <Table<ShelfItem>
      rowKey="id"
      dataSource={rows}
      columns={[
        {
          title: t('位置'),
          render: (_: unknown, i) => placeText(places[i.lockerId], i.lockerId, t, i.compartment),
        },
        {
          title: t('状态'),
          dataIndex: 'status',
          render: (s: string, i) => (
            <Tag>{t(STATUS[s === 'to_move' && !i.inLocker ? 'taken_out' : s] ?? s)}</Tag>
          ),
        },
        { title: t('货架位置'), dataIndex: 'slot', render: (s: string | null) => s ?? '—' },
        { title: t('逾期时间'), dataIndex: 'createdAt', render: when },
        {
          title: t('操作'),
          render: (_: unknown, i) =>
            i.status === 'on_shelf' ? (
              field(i, 'hand-over')
            ) : i.status !== 'to_move' ? null : i.inLocker ? (
              <Button size="small" type="primary" onClick={() => void retrieve(i)}>
                {t('开柜取出')}
              </Button>
            ) : (
              field(i, 'shelve')
            ),
        },
      ]}
    />
  );
}
