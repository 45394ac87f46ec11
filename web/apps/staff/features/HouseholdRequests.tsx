/**
 * The community's queue of home-binding requests: a family member asked (resident app 我的 →
 * 绑定房屋) to be bound to a unit; a manager whose area covers it approves, or rejects with a
 * reason the asker sees. A decided request leaves the list.
 */
import { App, Button, Empty, Form, Input, Modal, Space, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import type { HouseholdRequest } from '../../../shared/types.ts';
import { api } from '../api.ts';

/** Pending binding requests in the places I manage, with 同意 and 拒绝 (a reason required). */
export function HouseholdRequests() {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<HouseholdRequest[] | null>(null);
  const [rejecting, setRejecting] = useState<HouseholdRequest | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const load = useCallback(
    () =>
      api
        .get<HouseholdRequest[]>('/household-requests')
        .then(setRows)
        .catch((e: Error) => void message.error(e.message)),
    [message],
  );
  useEffect(() => void load(), [load]);

  /** Send the decision; on success the row leaves the list (another manager may have decided it meanwhile: reload then). */
  const decide = async (
    r: HouseholdRequest,
    approve: boolean,
    reason?: string,
  ): Promise<boolean> => {
    setBusy(r.requestId);
    try {
      await api.post(
        `/household-requests/${r.requestId}/decision`,
        approve ? { approve } : { approve, reason },
      );
      void message.success(
        approve
          ? t('已同意，{{name}} 已绑定 {{unit}}', {
              name: r.asker?.displayName ?? '',
              unit: r.unit,
            })
          : t('已拒绝，申请人会看到原因'),
      );
      setRows((xs) => (xs ?? []).filter((x) => x.requestId !== r.requestId));
      return true;
    } catch (e) {
      void message.error((e as Error).message);
      void load();
      return false;
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="household-requests">
      <Table<HouseholdRequest>
        rowKey="requestId"
        loading={rows === null}
        dataSource={rows ?? []}
        locale={{ emptyText: <Empty description={t('没有待处理的住户绑定申请')} /> }}
        onRow={() => ({ 'data-testid': 'household-request' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('房屋'), render: (_: unknown, r) => `${r.communityName} · ${r.unit}` },
          {
            title: t('申请人'),
            render: (_: unknown, r) =>
              r.asker ? [r.asker.displayName, r.asker.phone].filter(Boolean).join(' · ') : '—',
          },
          { title: t('与住户关系'), dataIndex: 'relation' },
          { title: t('备注'), dataIndex: 'note', render: (n: string | null) => n ?? '—' },
          { title: t('申请时间'), dataIndex: 'createdAt', render: when },
          {
            title: t('操作'),
            render: (_: unknown, r) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  loading={busy === r.requestId}
                  onClick={() => void decide(r, true)}
                >
                  {t('同意')}
                </Button>
                <Button
                  size="small"
                  danger
                  disabled={busy === r.requestId}
                  onClick={() => setRejecting(r)}
                >
                  {t('拒绝')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <RejectDialog
        request={rejecting}
        onReject={(reason) => decide(rejecting!, false, reason)}
        onClose={() => setRejecting(null)}
      />
    </div>
  );
}

/** 拒绝 asks why: the reason is required (the form says so under the field, no request is sent). */
function RejectDialog({
  request,
  onReject,
  onClose,
}: {
  request: HouseholdRequest | null;
  onReject(reason: string): Promise<boolean>;
  onClose(): void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const close = () => (form.resetFields(), onClose());
  const submit = async () => {
    let reason: string;
    try {
      reason = (await form.validateFields()).reason.trim();
    } catch {
      return;
    }
    setBusy(true);
    const done = await onReject(reason);
    setBusy(false);
    if (done) close();
  };
  return (
    <Modal
      open={request !== null}
      title={t('拒绝绑定申请：{{unit}}', { unit: request?.unit ?? '' })}
      okText={t('拒绝')}
      okButtonProps={{ danger: true }}
      cancelText={t('取消')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={close}
    >
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item
          name="reason"
          label={t('拒绝原因（申请人可见）')}
          rules={[{ required: true, whitespace: true, message: t('请填写拒绝原因') }]}
        >
          <Input.TextArea
            rows={2}
            maxLength={200}
            placeholder={t('例如：无法核实与住户的关系，请由户主发送邀请')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
