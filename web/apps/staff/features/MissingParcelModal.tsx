/** Record where the parcels of a parcel_missing alert went (found inside, handed over, lost); resolves the alert (ADR 0041). */
import { Form, Input, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import type { Alert } from '../../../shared/types.ts';

export type MissingOutcome = 'found' | 'handed_over' | 'lost';

const OUTCOMES: { value: MissingOutcome; label: string; hint: string }[] = [
  { value: 'found', label: '在柜内找到', hint: '包裹仍在格口中，继续待取件，取件码不变' },
  { value: 'handed_over', label: '已当面交给收件人', hint: '记为已取件（由你经手），格口释放' },
  { value: 'lost', label: '未找到，登记丢失', hint: '包裹记为丢失，格口释放，短信告知收件人' },
];

export function MissingParcelModal({
  alert,
  onRecord,
  onClose,
}: {
  alert: Alert | null;
  onRecord(outcome: MissingOutcome, note: string): Promise<boolean>;
  onClose(): void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<{ outcome: MissingOutcome; note: string }>();
  const [busy, setBusy] = useState(false);
  const close = () => (form.resetFields(), onClose());
  const submit = async () => {
    let v: { outcome: MissingOutcome; note: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    const done = await onRecord(v.outcome, v.note.trim());
    setBusy(false);
    if (done) close();
  };
  return (
    <Modal
      open={alert !== null}
      title={t('登记包裹去向：{{n}} 号格口', { n: alert?.compartment ?? '' })}
      okText={t('登记并解决')}
      cancelText={t('取消')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={close}
      okButtonProps={{ 'data-testid': 'missing-submit' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph type="secondary">
        {t('格口关门时检测为空，但系统中仍有待取包裹。请到柜前核实后登记：')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item
          name="outcome"
          label={t('核实结果')}
          rules={[{ required: true, message: t('请选择核实结果') }]}
        >
          <Radio.Group>
            <Space direction="vertical">
              {OUTCOMES.map((o) => (
                <Radio key={o.value} value={o.value} data-testid={`missing-${o.value}`}>
                  {t(o.label)}
                  <Typography.Text type="secondary"> — {t(o.hint)}</Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="note"
          label={t('说明（记入包裹记录，请勿填写姓名或电话）')}
          rules={[
            { required: true, whitespace: true, message: t('请填写核实情况') },
            { min: 2, message: t('请填写核实情况') },
          ]}
        >
          <Input.TextArea
            rows={2}
            maxLength={200}
            placeholder={t('例如：柜内与服务站均未找到，已联系派件快递员')}
            data-testid="missing-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
