/**
 * Alerts of my area (jammed doors, uncommanded opens, offline, UV faults…) named by place, live,
 * with acknowledge and resolve; a missing parcel is resolved by recording where it went.
 */
import { App, Button, Segmented, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import type { Alert } from '../../../shared/types.ts';
import { api } from '../api.ts';
import { placeText } from '../place.ts';
import { ALERT_DESC, ALERT_KIND } from './alert-kinds.ts';
import { type MissingOutcome, MissingParcelModal } from './MissingParcelModal.tsx';

const STATUS: Record<string, { text: string; color: string }> = {
  open: { text: '待处理', color: 'red' },
  acknowledged: { text: '处理中', color: 'orange' },
  resolved: { text: '已解决', color: 'green' },
};

export function Alerts({
  communityId,
  refresh,
  onCount,
}: {
  communityId: string;
  refresh: number;
  onCount(n: number): void;
}) {
  const { t } = useT();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<'unresolved' | 'resolved'>('unresolved');
  const [rows, setRows] = useState<Alert[]>([]);
  const [loading, setLoading] = useState(false);
  const [missing, setMissing] = useState<Alert | null>(null);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const list = await api.get<Alert[]>(
        `/communities/${communityId}/alerts?status=${filter}&limit=200`,
      );
      setRows(list);
      if (filter === 'unresolved') onCount(list.filter((a) => a.status === 'open').length);
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [communityId, filter, message, onCount]);
  useEffect(() => void load(), [load, refresh]);

  const act = async (a: Alert, what: 'acknowledge' | 'resolve') => {
    try {
      await api.post(`/alerts/${a.id}/${what}`);
      void message.success(what === 'acknowledge' ? t('已确认，正在处理') : t('已标记为解决'));
      void load();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };

  const recordMissing = async (outcome: MissingOutcome, note: string) => {
    if (!missing) return false;
    try {
      await api.post(`/alerts/${missing.id}/missing-parcels`, { outcome, note });
      void message.success(t('已登记包裹去向'));
      void load();
      return true;
    } catch (e) {
      void message.error((e as Error).message);
      return false;
    }
  };

  return (
    <>
      <MissingParcelModal
        alert={missing}
        onRecord={recordMissing}
        onClose={() => setMissing(null)}
      />
      <Segmented
        style={{ marginBottom: 12 }}
        value={filter}
        onChange={(v) => setFilter(v as typeof filter)}
        options={[
          { label: t('未解决'), value: 'unresolved' },
          { label: t('已解决'), value: 'resolved' },
        ]}
      />
      <Table<Alert>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        onRow={(a) =>
          ({
            'data-testid': 'alert',
            'data-kind': a.kind,
            'data-status': a.status,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('类型'),
            dataIndex: 'kind',
            render: (k: string) => (
              <Tag color={k === 'door_jammed' || k === 'uncommanded_open' ? 'red' : 'gold'}>
                {t(ALERT_KIND[k] ?? k)}
              </Tag>
            ),
          },
          {
            title: t('位置'),
            render: (_: unknown, a) =>
              placeText(a.place, a.lockerName ?? a.lockerId, t, a.compartment),
          },
          {
            title: t('说明'),
            dataIndex: 'message',
            render: (m: string, a) => <span title={m}>{t(ALERT_DESC[a.kind] ?? m)}</span>,
          },
          { title: t('次数'), dataIndex: 'occurrences' },
          { title: t('发生时间'), dataIndex: 'openedAt', render: when },
          {
            title: t('状态'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={STATUS[s]?.color}>{t(STATUS[s]?.text ?? s)}</Tag>,
          },
          {
            title: t('操作'),
            render: (_: unknown, a) => (
              <Space>
                {a.status === 'open' && (
                  <Button size="small" type="primary" onClick={() => void act(a, 'acknowledge')}>
                    {t('确认处理')}
                  </Button>
                )}
                {a.status !== 'resolved' && a.kind === 'parcel_missing' && (
                  <Button size="small" data-testid="missing-record" onClick={() => setMissing(a)}>
                    {t('登记去向')}
                  </Button>
                )}
                {a.status !== 'resolved' && a.kind !== 'parcel_missing' && (
                  <Button size="small" onClick={() => void act(a, 'resolve')}>
                    {t('已解决')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
