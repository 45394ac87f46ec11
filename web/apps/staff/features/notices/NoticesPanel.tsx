/** Notices I manage: publish (urgent, pinned until, expires at), and take one down (下架). */
import { App, Button, DatePicker, Form, Input, Select, Switch, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import type { NoticeView } from '../../../../shared/notices.ts';
import { api } from '../../api.ts';
import type { AudienceOption } from './audience.ts';

type Values = {
  audience: string;
  title: string;
  body: string;
  urgent?: boolean;
  pinnedUntil?: { toISOString(): string } | null;
  expiresAt?: { toISOString(): string } | null;
};

export function NoticesPanel({ audiences }: { audiences: AudienceOption[] }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<NoticeView[] | null>(null);
  const [form] = Form.useForm<Values>();
  const load = useCallback(
    () =>
      api.get<NoticeView[]>('/notices').then(setRows, (e: Error) => void message.error(e.message)),
    [message],
  );
  useEffect(() => void load(), [load]);

  const publish = async (v: Values) => {
    const a = audiences.find((x) => x.value === v.audience)!;
    try {
      await api.post('/notices', {
        audience: { kind: a.kind, id: a.id },
        title: v.title,
        body: v.body,
        urgent: v.urgent ?? false,
        pinnedUntil: v.pinnedUntil?.toISOString() ?? null,
        expiresAt: v.expiresAt?.toISOString() ?? null,
      });
      message.success(t('已发布'));
      form.resetFields();
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const expire = async (n: NoticeView) => {
    try {
      await api.post(`/notices/${n.id}/expire`);
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <>
      <Form
        form={form}
        layout="inline"
        onFinish={(v) => void publish(v)}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="audience" rules={[{ required: true, message: t('选择发布范围') }]}>
          <Select
            aria-label={t('发布范围')}
            placeholder={t('发布范围')}
            style={{ width: 200 }}
            options={audiences}
          />
        </Form.Item>
        <Form.Item
          name="title"
          rules={[{ required: true, whitespace: true, message: t('填写标题') }]}
        >
          <Input
            aria-label={t('标题')}
            placeholder={t('标题')}
            maxLength={80}
            style={{ width: 220 }}
          />
        </Form.Item>
        <Form.Item
          name="body"
          rules={[{ required: true, whitespace: true, message: t('填写正文') }]}
        >
          <Input.TextArea
            aria-label={t('正文')}
            placeholder={t('正文')}
            maxLength={4000}
            autoSize
            style={{ width: 320 }}
          />
        </Form.Item>
        <Form.Item name="urgent" label={t('紧急')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="pinnedUntil" label={t('置顶至')}>
          <DatePicker showTime />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('过期时间')}>
          <DatePicker showTime />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('发布')}
        </Button>
      </Form>
      <Table<NoticeView>
        rowKey="id"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          {
            title: t('标题'),
            render: (_, n) => (
              <>
                {n.urgent && <Tag color="red">{t('紧急')}</Tag>}
                {n.pinned && <Tag color="blue">{t('置顶')}</Tag>}
                {n.title}
              </>
            ),
          },
          {
            title: t('范围'),
            render: (_, n) =>
              audiences.find((a) => a.id === n.audience.id)?.label ?? t(n.audience.kind),
          },
          { title: t('发布时间'), render: (_, n) => when(n.createdAt) },
          { title: t('过期时间'), render: (_, n) => when(n.expiresAt) },
          {
            title: t('状态'),
            render: (_, n) =>
              n.expired ? <Tag>{t('已过期')}</Tag> : <Tag color="green">{t('展示中')}</Tag>,
          },
          {
            title: '',
            render: (_, n) =>
              !n.expired && (
                <Button size="small" onClick={() => void expire(n)}>
                  {t('下架')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
