/**
 * One locker: each compartment's state (use, door, UV, last disinfection), the parcels
 * inside (phones masked), a remote open that requires a reason (audited), and the
 * compartment's last UV cycle with a button to start one (DisinfectButton).
 */
import { App, Drawer, Form, Input, Modal, Table, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import {
  type Alert,
  type Compartment,
  type CourierParcel,
  type LockerSummary,
  PARCEL_STATUS,
} from '../../../shared/types.ts';
import { api } from '../api.ts';
import { placeText } from '../place.ts';
import { ALERT_KIND } from './alert-kinds.ts';
import { DisinfectButton } from './DisinfectButton.tsx';

const USE_COLOR: Record<string, string> = {
  free: '#e8f5e9',
  reserved: '#fff8e1',
  occupied: '#e3f2fd',
  out_of_service: '#eeeeee',
};
const USE_TEXT: Record<string, string> = {
  free: '空闲',
  reserved: '预留',
  occupied: '有件',
  out_of_service: '停用',
};
const DOOR_TEXT: Record<string, string> = { open: '开着', closed: '关着', unknown: '未知' };
const UV_TEXT: Record<string, string> = { off: '未运行', running: '消毒中' };
const UV_RESULT: Record<string, string> = {
  completed: '已完成',
  aborted: '中断',
  failed: '消毒故障',
  blocked: '门开未执行',
};

interface LockerDetail extends LockerSummary {
  compartments: Compartment[];
  alerts: Alert[];
}

/** The compartment's state in words, for its tooltip. */
function compartmentTip(
  c: Compartment,
  t: (k: string, v?: Record<string, unknown>) => string,
): string {
  const uv =
    t(UV_TEXT[c.uv] ?? c.uv) +
    (c.uvResult ? `（${t('上次')}${t(UV_RESULT[c.uvResult] ?? c.uvResult)}）` : '');
  return [
    `${t('柜门')}：${t(DOOR_TEXT[c.door] ?? c.door)}`,
    `${t('消毒灯')}：${uv}`,
    `${t('消毒于')} ${when(c.lastDisinfectedAt)}`,
  ].join(' · ');
}

/** The drawer of one locker (compartments, parcels inside, remote open). */
export function LockerDrawer({
  lockerId,
  changed,
  onClose,
}: {
  lockerId: string;
  changed: number;
  onClose(): void;
}) {
  const { t } = useT();
  const { message } = App.useApp();
  const [d, setD] = useState<LockerDetail | null>(null);
  const [parcels, setParcels] = useState<CourierParcel[]>([]);
  const [opening, setOpening] = useState<Compartment | null>(null);
  const load = useCallback(() => {
    api
      .get<LockerDetail>(`/lockers/${lockerId}`)
      .then(setD)
      .catch((e: Error) => void message.error(e.message));
    api
      .get<CourierParcel[]>(`/lockers/${lockerId}/parcels`)
      .then(setParcels)
      .catch(() => setParcels([]));
  }, [lockerId, message]);
  useEffect(() => load(), [load, changed]);

  return (
    <Drawer
      open
      size={760}
      title={d ? placeText(d.place, d.name, t) : t('加载中…')}
      onClose={onClose}
    >
      {d && (
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
          {t('设备编号')}：{d.id}
        </Typography.Text>
      )}
      {d?.alerts.map((a) => (
        <Tag key={a.id} color="red" style={{ marginBottom: 8 }}>
          {t(ALERT_KIND[a.kind] ?? a.kind)}{' '}
          {a.compartment ? t('{{n}} 号格口', { n: a.compartment }) : ''}
        </Tag>
      ))}
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(6, 1fr)',
          gap: 6,
          margin: '8px 0 16px',
        }}
      >
        {d?.compartments.map((c) => (
          <Tooltip key={c.number} title={compartmentTip(c, t)}>
            <button
              type="button"
              data-testid="compartment"
              onClick={() => setOpening(c)}
              style={{
                border: c.door === 'open' ? '2px solid #d4380d' : '1px solid #ccc',
                background: USE_COLOR[c.use] ?? '#fff',
                borderRadius: 6,
                padding: '6px 4px',
                cursor: 'pointer',
                textAlign: 'center',
              }}
            >
              <div style={{ fontWeight: 700 }}>{c.number}</div>
              <div style={{ fontSize: 12 }}>
                {c.size}
                {c.kind === 'food' ? ' 🍱' : ''} · {t(USE_TEXT[c.use] ?? c.use)}
              </div>
              <div style={{ fontSize: 12, color: c.door === 'open' ? '#d4380d' : '#888' }}>
                {c.door === 'open' ? t('门开') : c.uv === 'running' ? t('消毒中') : ''}
              </div>
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
          {
            title: t('状态'),
            dataIndex: 'status',
            render: (s: string) => t(PARCEL_STATUS[s] ?? s),
          },
          { title: t('入柜时间'), dataIndex: 'storedAt', render: when },
        ]}
      />
      <RemoteOpen
        lockerId={lockerId}
        compartment={opening}
        onDone={(sent) => (setOpening(null), sent && setTimeout(load, 1500))}
      >
        {opening && (
          <DisinfectButton
            lockerId={lockerId}
            compartment={d?.compartments.find((x) => x.number === opening.number) ?? opening}
            onStarted={() => setTimeout(load, 1500)}
          />
        )}
      </RemoteOpen>
    </Drawer>
  );
}

/** The remote-open dialog: one cancel, and a missing reason shows under the field (never a page error). `children`: more about the compartment (its UV). */
function RemoteOpen({
  lockerId,
  compartment,
  onDone,
  children,
}: {
  lockerId: string;
  compartment: Compartment | null;
  onDone(sent: boolean): void;
  children?: ReactNode;
}) {
  const { t } = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    let reason: string;
    try {
      ({ reason } = await form.validateFields());
    } catch {
      return; // the form shows what is missing under the field
    }
    setBusy(true);
    try {
      await api.post(`/lockers/${lockerId}/compartments/${compartment!.number}/open`, {
        reason: reason.trim(),
      });
      void message.success(t('开门指令已发送'));
      form.resetFields();
      onDone(true);
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={compartment !== null}
      title={t('远程开门：{{n}} 号格口', { n: compartment?.number ?? '' })}
      okText={t('开门')}
      cancelText={t('取消')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={() => (form.resetFields(), onDone(false))}
    >
      {children}
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item
          name="reason"
          label={t('开门原因（记入审计）')}
          rules={[
            { required: true, whitespace: true, message: t('请填写开门原因（至少 4 个字）') },
            { min: 4, message: t('请填写开门原因（至少 4 个字）') },
          ]}
        >
          <Input.TextArea
            rows={2}
            maxLength={200}
            placeholder={t('例如：居民来电，取件码丢失，已核实身份')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
