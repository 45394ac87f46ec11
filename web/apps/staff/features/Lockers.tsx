/**
 * Lockers of the community with live counts; a locker's drawer shows each compartment's
 * state (use, door, UV, last disinfection), the parcels inside (phones masked) and a
 * remote open that requires a reason (audited).
 */
import { App, Badge, Button, Drawer, Form, Input, Modal, Table, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { type Alert, type Compartment, type CourierParcel, type LockerSummary, PARCEL_STATUS } from '../../../shared/types.ts';
import { api } from '../api.ts';
import { ALERT_KIND } from './Alerts.tsx';

const USE_COLOR: Record<string, string> = { free: '#e8f5e9', reserved: '#fff8e1', occupied: '#e3f2fd', out_of_service: '#eeeeee' };
const USE_TEXT: Record<string, string> = { free: '空闲', reserved: '预留', occupied: '有件', out_of_service: '停用' };

export function Lockers({ communityId, refresh, changedLocker }: { communityId: string; refresh: number; changedLocker: string | null }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<LockerSummary[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await api.get<LockerSummary[]>(`/communities/${communityId}/lockers?limit=500`));
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [communityId, message]);
  // Live compartment frames come in bursts: refetch at most once a second.
  useEffect(() => {
    const id = setTimeout(() => void load(), refresh === 0 ? 0 : 1000);
    return () => clearTimeout(id);
  }, [load, refresh]);

  return (
    <>
      <Table<LockerSummary>
        rowKey="id"
        size="middle"
        loading={loading && rows.length === 0}
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        onRow={(l) => ({ onClick: () => setOpen(l.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('柜号'), dataIndex: 'id' },
          { title: t('名称'), dataIndex: 'name' },
          { title: t('在线'), dataIndex: 'presence', render: (p: string) => <Badge status={p === 'online' ? 'success' : 'error'} text={p === 'online' ? t('在线') : t('离线')} /> },
          { title: t('空闲 / 总数'), render: (_: unknown, l) => (l.counts ? `${l.counts.free} / ${l.counts.compartments}` : '—') },
          { title: t('开着的门'), render: (_: unknown, l) => l.counts?.doorsOpen ?? 0 },
          { title: t('告警'), render: (_: unknown, l) => (l.counts?.openAlerts ? <Tag color="red">{l.counts.openAlerts}</Tag> : 0) },
          { title: t('最后通信'), dataIndex: 'lastSeenAt', render: when },
        ]}
      />
      {open && <LockerDrawer lockerId={open} changed={changedLocker === open ? refresh : 0} onClose={() => setOpen(null)} />}
    </>
  );
}

interface LockerDetail extends LockerSummary {
  compartments: Compartment[];
  alerts: Alert[];
}

function LockerDrawer({ lockerId, changed, onClose }: { lockerId: string; changed: number; onClose(): void }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [d, setD] = useState<LockerDetail | null>(null);
  const [parcels, setParcels] = useState<CourierParcel[]>([]);
  const [opening, setOpening] = useState<Compartment | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const load = useCallback(() => {
    api.get<LockerDetail>(`/lockers/${lockerId}`).then(setD).catch((e: Error) => void message.error(e.message));
    api.get<CourierParcel[]>(`/lockers/${lockerId}/parcels`).then(setParcels).catch(() => setParcels([]));
  }, [lockerId, message]);
  useEffect(() => load(), [load, changed]);

  const remoteOpen = async () => {
    const { reason } = await form.validateFields();
    try {
      await api.post(`/lockers/${lockerId}/compartments/${opening!.number}/open`, { reason });
      void message.success(t('开门指令已发送'));
      setOpening(null);
      form.resetFields();
      setTimeout(load, 1500);
    } catch (e) {
      void message.error((e as Error).message);
    }
  };

  return (
    <Drawer open size={760} title={d ? `${d.name} · ${d.id}` : lockerId} onClose={onClose}>
      {d?.alerts.map((a) => (
        <Tag key={a.id} color="red" style={{ marginBottom: 8 }}>{t(ALERT_KIND[a.kind] ?? a.kind)} {a.compartment ? `#${a.compartment}` : ''}</Tag>
      ))}
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(6, 1fr)', gap: 6, margin: '8px 0 16px' }}>
        {d?.compartments.map((c) => (
          <Tooltip key={c.number} title={`${t('门')}: ${c.door} · UV: ${c.uv}${c.uvResult ? ` (${c.uvResult})` : ''} · ${t('消毒于')} ${when(c.lastDisinfectedAt)}`}>
            <button
              type="button"
              data-testid="compartment"
              onClick={() => setOpening(c)}
              style={{ border: c.door === 'open' ? '2px solid #d4380d' : '1px solid #ccc', background: USE_COLOR[c.use] ?? '#fff', borderRadius: 6, padding: '6px 4px', cursor: 'pointer', textAlign: 'center' }}
            >
              <div style={{ fontWeight: 700 }}>{c.number}</div>
              <div style={{ fontSize: 12 }}>{c.size}{c.kind === 'food' ? ' 🍱' : ''} · {t(USE_TEXT[c.use] ?? c.use)}</div>
              <div style={{ fontSize: 12, color: c.door === 'open' ? '#d4380d' : '#888' }}>{c.door === 'open' ? t('门开') : c.uv === 'running' ? t('消毒中') : ''}</div>
            </button>
          </Tooltip>
        ))}
      </div>
      <Table<CourierParcel>
        rowKey="parcelId"
        size="small"
        title={() => t('在柜包裹')}
        dataSource={parcels}
        pagination={false}
        columns={[
          { title: t('格口'), dataIndex: 'compartment' },
          { title: t('运单号'), dataIndex: 'waybill' },
          { title: t('收件人'), dataIndex: 'recipientPhone' },
          { title: t('状态'), dataIndex: 'status', render: (s: string) => t(PARCEL_STATUS[s] ?? s) },
          { title: t('入柜时间'), dataIndex: 'storedAt', render: when },
        ]}
      />
      <Modal open={opening !== null} title={t('远程开门：{{n}} 号格口', { n: opening?.number ?? '' })} okText={t('开门')} cancelText={t('取消')} onOk={() => void remoteOpen()} onCancel={() => setOpening(null)}>
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('开门原因（记入审计）')} rules={[{ required: true, min: 4, message: t('请填写开门原因（至少 4 个字）') }]}>
            <Input.TextArea rows={2} maxLength={200} placeholder={t('例如：居民来电，取件码丢失，已核实身份')} />
          </Form.Item>
        </Form>
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpening(null)}>{t('取消')}</Button>
      </Modal>
    </Drawer>
  );
}
