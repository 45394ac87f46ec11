/**
 * Lockers of my area, named by place, with live counts; filtered on the server by compound,
 * building, online state and open alerts. A row opens the locker's drawer (LockerDrawer.tsx).
 */
import { App, Badge, Checkbox, Segmented, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import type { LockerSummary } from '../../../shared/types.ts';
import { api } from '../api.ts';
import { LockerDrawer } from './LockerDrawer.tsx';

interface Area {
  compounds: { id: string; name: string; buildings: { id: string; name: string }[] }[];
}
type Presence = 'all' | 'online' | 'offline';

/** The locker list of my area with its filters. */
export function Lockers({
  communityId,
  refresh,
  changedLocker,
}: {
  communityId: string;
  refresh: number;
  changedLocker: string | null;
}) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<LockerSummary[]>([]);
  const [area, setArea] = useState<Area>({ compounds: [] });
  const [compoundId, setCompoundId] = useState<string | undefined>(undefined);
  const [buildingId, setBuildingId] = useState<string | undefined>(undefined);
  const [presence, setPresence] = useState<Presence>('all');
  const [alertsOnly, setAlertsOnly] = useState(false);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    setCompoundId(undefined);
    setBuildingId(undefined);
    api
      .get<Area>(`/communities/${communityId}/area`)
      .then(setArea)
      .catch((e: Error) => void message.error(e.message));
  }, [communityId, message]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const qs = new URLSearchParams({
        limit: '500',
        ...(compoundId ? { compoundId } : {}),
        ...(buildingId ? { buildingId } : {}),
        ...(presence !== 'all' ? { presence } : {}),
        ...(alertsOnly ? { alerts: 'open' } : {}),
      });
      setRows(await api.get<LockerSummary[]>(`/communities/${communityId}/lockers?${qs}`));
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [communityId, compoundId, buildingId, presence, alertsOnly, message]);
  // Live compartment frames come in bursts: refetch at most once a second.
  useEffect(() => {
    const id = setTimeout(() => void load(), refresh === 0 ? 0 : 1000);
    return () => clearTimeout(id);
  }, [load, refresh]);

  const buildings = (
    compoundId ? area.compounds.filter((c) => c.id === compoundId) : area.compounds
  ).flatMap((c) =>
    c.buildings.map((b) => ({
      value: b.id,
      label: area.compounds.length > 1 ? `${c.name} ${b.name}` : b.name,
    })),
  );

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          aria-label={t('小区')}
          placeholder={t('全部小区')}
          style={{ width: 180 }}
          value={compoundId}
          onChange={(v) => (setCompoundId(v), setBuildingId(undefined))}
          options={area.compounds.map((c) => ({ value: c.id, label: c.name }))}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('楼栋')}
          placeholder={t('全部楼栋')}
          style={{ width: 160 }}
          value={buildingId}
          onChange={setBuildingId}
          options={buildings}
        />
        <Segmented<Presence>
          value={presence}
          onChange={setPresence}
          options={[
            { label: t('全部'), value: 'all' },
            { label: t('在线'), value: 'online' },
            { label: t('离线'), value: 'offline' },
          ]}
        />
        <Checkbox checked={alertsOnly} onChange={(e) => setAlertsOnly(e.target.checked)}>
          {t('只看有告警的')}
        </Checkbox>
        <span>{t('共 {{n}} 台', { n: rows.length })}</span>
      </Space>
      <Table<LockerSummary>
        rowKey="id"
        size="middle"
        loading={loading && rows.length === 0}
        dataSource={rows}
        pagination={{ pageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100] }}
        onRow={(l) =>
          ({
            onClick: () => setOpen(l.id),
            style: { cursor: 'pointer' },
            'data-testid': 'locker-row',
            'data-locker-id': l.id,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('小区'), render: (_: unknown, l) => l.place?.compound ?? '—' },
          {
            title: t('楼栋'),
            render: (_: unknown, l) => (l.place ? `${l.place.building}${l.place.unit ?? ''}` : '—'),
          },
          { title: t('柜'), render: (_: unknown, l) => l.place?.cabinet ?? l.name },
          {
            title: t('在线'),
            dataIndex: 'presence',
            render: (p: string) => (
              <Badge
                status={p === 'online' ? 'success' : 'error'}
                text={p === 'online' ? t('在线') : t('离线')}
              />
            ),
          },
          {
            title: t('空闲 / 总数'),
            render: (_: unknown, l) =>
              l.counts ? `${l.counts.free} / ${l.counts.compartments}` : '—',
          },
          { title: t('开着的门'), render: (_: unknown, l) => l.counts?.doorsOpen ?? 0 },
          {
            title: t('告警'),
            render: (_: unknown, l) =>
              l.counts?.openAlerts ? <Tag color="red">{l.counts.openAlerts}</Tag> : 0,
          },
          { title: t('最后通信'), dataIndex: 'lastSeenAt', render: when },
        ]}
      />
      {open && (
        <LockerDrawer
          lockerId={open}
          changed={changedLocker === open ? refresh : 0}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}
