/**
 * 居民诉求 worklist for grid workers and the community office: requests in my places, most
 * urgent deadline first, with filters (status, overdue, mine, type, grid) and a drawer to act.
 */
import { Checkbox, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../../../shared/i18n.ts';
import {
  localTime,
  type ServiceView,
  type StaffNeedView,
  STATUS_LABEL,
} from '../../../../shared/needs/needs-api.ts';
import { api } from '../../api.ts';
import { NeedDrawer, StatusTag } from './NeedDrawer.tsx';

/** `gridFilter`: the caller manages the community (a grid worker has one grid, so no picker). */
export function Worklist({
  communityId,
  gridFilter,
}: {
  communityId: string;
  gridFilter: boolean;
}) {
  const { t } = useT();
  const [rows, setRows] = useState<StaffNeedView[]>([]);
  const [services, setServices] = useState<ServiceView[]>([]);
  const [grids, setGrids] = useState<{ id: string; name: string }[]>([]);
  const [status, setStatus] = useState<string[]>([
    'received',
    'dispatched',
    'in_progress',
    'reopened',
    'replied',
  ]);
  const [overdue, setOverdue] = useState(false);
  const [mine, setMine] = useState(false);
  const [service, setService] = useState<string | undefined>();
  const [grid, setGrid] = useState<string | undefined>();
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<{ services: ServiceView[] }>('/needs/services').then(
      (r) => setServices(r.services),
      () => undefined,
    );
    if (!gridFilter) return setGrids([]);
    api
      .get<{ id: string; name: string }[]>(`/communities/${communityId}/grids`)
      .then(setGrids, () => setGrids([]));
  }, [communityId, gridFilter]);
  const load = useCallback(() => {
    const q = new URLSearchParams({ communityId, limit: '200' });
    for (const s of status) q.append('status', s);
    if (overdue) q.set('overdue', 'true');
    if (mine) q.set('mine', 'true');
    if (service) q.set('serviceCode', service);
    if (grid) q.set('gridId', grid);
    api.get<{ items: StaffNeedView[] }>(`/needs?${q}`).then(
      (r) => {
        setRows(r.items);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [communityId, status, overdue, mine, service, grid]);
  useEffect(() => {
    load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          mode="multiple"
          style={{ minWidth: 280 }}
          value={status}
          onChange={setStatus}
          options={Object.entries(STATUS_LABEL).map(([value, s]) => ({ value, label: t(s.text) }))}
          placeholder={t('状态')}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          value={service}
          onChange={setService}
          options={services.map((s) => ({ value: s.code, label: t(s.name) }))}
          placeholder={t('诉求类型')}
        />
        {grids.length > 0 && (
          <Select
            allowClear
            style={{ width: 140 }}
            value={grid}
            onChange={setGrid}
            options={grids.map((g) => ({ value: g.id, label: g.name }))}
            placeholder={t('网格')}
          />
        )}
        <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)}>
          {t('只看超期')}
        </Checkbox>
        <Checkbox checked={mine} onChange={(e) => setMine(e.target.checked)}>
          {t('只看我承办的')}
        </Checkbox>
      </Space>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Table<StaffNeedView>
        rowKey="id"
        size="middle"
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('类型'), dataIndex: 'serviceName', render: (v: string) => t(v) },
          { title: t('地点'), dataIndex: 'place' },
          {
            title: t('状态'),
            dataIndex: 'status',
            render: (_: unknown, r) => <StatusTag status={r.status} />,
          },
          {
            title: t('办理期限'),
            dataIndex: 'dueAt',
            render: (_: unknown, r) => (
              <Space>
                {localTime(r.dueAt)}
                {r.overdue && <Tag color="error">{t('超期')}</Tag>}
                {!r.overdue && r.escalatedAt && <Tag color="warning">{t('临期')}</Tag>}
              </Space>
            ),
          },
          { title: t('受理时间'), dataIndex: 'receivedAt', render: (v: string) => localTime(v) },
          { title: t('描述'), dataIndex: 'description', ellipsis: true },
        ]}
      />
      <NeedDrawer id={open} onClose={() => setOpen(null)} onChanged={load} />
    </Space>
  );
}
