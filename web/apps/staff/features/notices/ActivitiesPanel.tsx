/** Activities I manage: create one with a capacity, see who signed up and who waits, cancel it. */
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import type { ActivityView } from '../../../../shared/notices.ts';
import type { ActivitySignups } from '../../../../../src/web-types.ts';
import { api } from '../../api.ts';
import type { AudienceOption } from './audience.ts';

type When = { toISOString(): string };
type Values = {
  audience: string;
  title: string;
  description: string;
  location: string;
  time: [When, When];
  capacity: number;
};

export function ActivitiesPanel({ audiences }: { audiences: AudienceOption[] }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<ActivityView[] | null>(null);
  const [open, setOpen] = useState<ActivitySignups | null>(null);
  const [form] = Form.useForm<Values>();
  const load = useCallback(
    () =>
      api
        .get<ActivityView[]>('/activities')
        .then(setRows, (e: Error) => void message.error(e.message)),
    [message],
  );
  useEffect(() => void load(), [load]);
  const run = async (f: () => Promise<unknown>) => {
    try {
      await f();
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const create = (v: Values) =>
    run(async () => {
      const a = audiences.find((x) => x.value === v.audience)!;
      await api.post('/activities', {
        audience: { kind: a.kind, id: a.id },
        title: v.title,
        description: v.description,
        location: v.location,
        startsAt: v.time[0].toISOString(),
        endsAt: v.time[1].toISOString(),
        capacity: v.capacity,
      });
      message.success(t('已创建'));
      form.resetFields();
    });

  return (
    <>
      <Form
        form={form}
        layout="inline"
        onFinish={(v) => void create(v)}
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
          <Input aria-label={t('活动名称')} placeholder={t('活动名称')} maxLength={80} />
        </Form.Item>
        <Form.Item
          name="location"
          rules={[{ required: true, whitespace: true, message: t('填写地点') }]}
        >
          <Input aria-label={t('地点')} placeholder={t('地点')} maxLength={100} />
        </Form.Item>
        <Form.Item
          name="description"
          rules={[{ required: true, whitespace: true, message: t('填写说明') }]}
        >
          <Input.TextArea
            aria-label={t('说明')}
            placeholder={t('说明')}
            autoSize
            maxLength={4000}
            style={{ width: 260 }}
          />
        </Form.Item>
        <Form.Item name="time" rules={[{ required: true, message: t('选择时间') }]}>
          <DatePicker.RangePicker showTime />
        </Form.Item>
        <Form.Item
          name="capacity"
          label={t('名额')}
          rules={[{ required: true, message: t('填写名额') }]}
        >
          <InputNumber min={1} max={5000} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('创建活动')}
        </Button>
      </Form>
      <Table<ActivityView>
        rowKey="id"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('活动名称'), dataIndex: 'title' },
          { title: t('开始'), render: (_, a) => when(a.startsAt) },
          { title: t('地点'), dataIndex: 'location' },
          {
            title: t('报名'),
            render: (_, a) => (
              <>
                {a.confirmed}/{a.capacity}{' '}
                {a.waiting > 0 && <Tag color="orange">{t('候补 {{n}} 人', { n: a.waiting })}</Tag>}
                {a.status === 'cancelled' && <Tag>{t('已取消')}</Tag>}
              </>
            ),
          },
          {
            title: '',
            render: (_, a) => (
              <>
                <Button
                  size="small"
                  onClick={() =>
                    void run(async () =>
                      setOpen(await api.get<ActivitySignups>(`/activities/${a.id}/signups`)),
                    )
                  }
                >
                  {t('报名名单')}
                </Button>{' '}
                {a.status === 'open' && (
                  <Button
                    size="small"
                    danger
                    onClick={() => void run(() => api.post(`/activities/${a.id}/cancel`))}
                  >
                    {t('取消活动')}
                  </Button>
                )}
              </>
            ),
          },
        ]}
      />
      <Modal
        open={open !== null}
        title={open?.activity.title}
        footer={null}
        onCancel={() => setOpen(null)}
      >
        {open && (
          <>
            <h4>{t('已报名 {{n}} 人', { n: open.confirmed.length })}</h4>
            <ul>
              {open.confirmed.map((p, i) => (
                <li key={i}>
                  {p.name} {p.phone} · {when(p.signedUpAt)}
                </li>
              ))}
            </ul>
            <h4>{t('候补 {{n}} 人', { n: open.waiting.length })}</h4>
            <ol>
              {open.waiting.map((p, i) => (
                <li key={i}>
                  {p.name} {p.phone} · {when(p.signedUpAt)}
                </li>
              ))}
            </ol>
          </>
        )}
      </Modal>
    </>
  );
}
