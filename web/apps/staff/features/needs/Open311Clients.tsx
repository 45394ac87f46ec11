/**
 * Open311 接入方 (issue 16 item 6): subdistrict officers and operator admins issue an API key
 * per client (city hotline, partner system), see the key once with a copy hint, and revoke it.
 * Only the key's hash is stored; the list shows its last four characters.
 */
import { Alert, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Open311ClientCreated, Open311ClientView } from '../../../../../src/web-types.ts';
import { useT } from '../../../../shared/i18n.ts';
import { localTime } from '../../../../shared/needs/needs-api.ts';
import { api } from '../../api.ts';

/** The Open311 client list with issue and revoke. */
export function Open311Clients() {
  const { t } = useT();
  const [clients, setClients] = useState<Open311ClientView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<Open311ClientCreated | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string; contact?: string }>();

  const load = useCallback(
    () =>
      api.get<{ clients: Open311ClientView[] }>('/open311-clients').then(
        (r) => {
          setClients(r.clients);
          setError(null);
        },
        (e: Error) => setError(e.message),
      ),
    [],
  );
  useEffect(() => void load(), [load]);

  const issue = async ({ name, contact }: { name: string; contact?: string }) => {
    setBusy(true);
    try {
      setIssued(
        await api.post<Open311ClientCreated>('/open311-clients', {
          name: name.trim(),
          ...(contact?.trim() ? { contact: contact.trim() } : {}),
        }),
      );
      form.resetFields();
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (id: string) => {
    try {
      await api.del(`/open311-clients/${id}`);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">
        {t('每个接入方（如市民热线、合作系统）一把密钥；密钥只显示一次，系统只保存其摘要。')}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} />}
      <Form form={form} layout="inline" onFinish={(v) => void issue(v)}>
        <Form.Item
          name="name"
          label={t('接入方名称')}
          rules={[{ required: true, whitespace: true, max: 60, message: t('请填写接入方名称') }]}
        >
          <Input data-testid="o311-name" maxLength={60} placeholder={t('如：12345 市民热线')} />
        </Form.Item>
        <Form.Item name="contact" label={t('联系人')} rules={[{ max: 100 }]}>
          <Input data-testid="o311-contact" maxLength={100} placeholder={t('对方负责人或部门')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="o311-issue">
          {t('发放密钥')}
        </Button>
      </Form>
      <Table<Open311ClientView>
        rowKey="id"
        loading={clients === null && !error}
        dataSource={clients ?? []}
        pagination={false}
        columns={[
          { title: t('接入方名称'), dataIndex: 'name' },
          { title: t('联系人'), dataIndex: 'contact', render: (v: string | null) => v ?? '—' },
          { title: t('密钥尾号'), dataIndex: 'keyHint', render: (h: string) => `…${h}` },
          { title: t('发放时间'), dataIndex: 'createdAt', render: (v: string) => localTime(v) },
          {
            title: t('状态'),
            dataIndex: 'revokedAt',
            render: (v: string | null) =>
              v ? (
                <Tag>{`${t('已吊销')} ${localTime(v)}`}</Tag>
              ) : (
                <Tag color="green">{t('有效')}</Tag>
              ),
          },
          {
            title: t('操作'),
            key: 'actions',
            render: (_: unknown, c) =>
              c.revokedAt ? null : (
                <Popconfirm
                  title={t('吊销后该接入方立即无法调用接口，确定吊销？')}
                  okText={t('吊销')}
                  cancelText={t('取消')}
                  onConfirm={() => void revoke(c.id)}
                >
                  <Button danger size="small" data-testid={`o311-revoke-${c.id}`}>
                    {t('吊销')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={issued !== null}
        title={t('密钥已发放')}
        onOk={() => setIssued(null)}
        onCancel={() => setIssued(null)}
        okText={t('我已保存')}
        cancelButtonProps={{ style: { display: 'none' } }}
        maskClosable={false}
      >
        {issued && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert
              type="warning"
              showIcon
              message={t('请现在复制并妥善交给接入方：关闭后无法再次查看，丢失只能吊销后重发。')}
            />
            <Typography.Text strong>{issued.client.name}</Typography.Text>
            <Typography.Paragraph copyable={{ text: issued.apiKey }} code data-testid="o311-key">
              {issued.apiKey}
            </Typography.Paragraph>
            <Typography.Text type="secondary">
              {t('调用时放在请求的 api_key 参数中。')}
            </Typography.Text>
          </Space>
        )}
      </Modal>
    </Space>
  );
}
