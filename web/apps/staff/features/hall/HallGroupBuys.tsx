/**
 * The hall's group buys: progress, deadline, outcome (counts only, never who joined); the hall
 * can start one. A confirmed buy opens to its joins by unit: 投柜 deposits a locker join into
 * the unit's locker (the parcel flow), 已交付 marks a counter join handed over.
 */
import { App, Button, Form, Input, InputNumber, Progress, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import { type GroupBuy, type GroupJoin, yuan } from '../../../../shared/hall.ts';

export function HallGroupBuys({ hallId }: { hallId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<GroupBuy[]>([]);
  const load = useCallback(
    () =>
      api
        .get<GroupBuy[]>(`/halls/${hallId}/group-buys`)
        .then(setRows)
        .catch((e: Error) => void message.error(e.message)),
    [hallId, message],
  );
  useEffect(() => void load(), [load]);
  const start = async (v: { title: string; price: number; target: number; days: number }) => {
    try {
      await api.post(`/halls/${hallId}/group-buys`, {
        title: v.title,
        description: '',
        category: 'fruit',
        priceFen: Math.round(v.price * 100),
        unit: '份',
        targetQty: v.target,
        deadline: new Date(Date.now() + v.days * 86_400_000).toISOString(),
      });
      void load();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <>
      <Form layout="inline" onFinish={(v) => void start(v as never)} style={{ marginBottom: 12 }}>
        <Form.Item name="title" rules={[{ required: true }]}>
          <Input placeholder={t('团购商品')} aria-label={t('团购商品')} />
        </Form.Item>
        <Form.Item name="price" rules={[{ required: true }]}>
          <InputNumber min={0.01} placeholder={t('单价（元）')} aria-label={t('单价（元）')} />
        </Form.Item>
        <Form.Item name="target" rules={[{ required: true }]}>
          <InputNumber min={2} placeholder={t('成团数量')} aria-label={t('成团数量')} />
        </Form.Item>
        <Form.Item name="days" initialValue={3}>
          <InputNumber min={1} max={30} addonAfter={t('天后截止')} aria-label={t('天后截止')} />
        </Form.Item>
        <Button htmlType="submit">{t('发起团购')}</Button>
      </Form>
      <Table<GroupBuy>
        rowKey="id"
        size="small"
        dataSource={rows}
        pagination={false}
        expandable={{
          rowExpandable: (b) => b.status === 'confirmed',
          expandedRowRender: (b) => <Joins hallId={hallId} buyId={b.id} />,
        }}
        columns={[
          { title: t('团购'), dataIndex: 'title' },
          { title: t('单价'), render: (_, b) => `${yuan(b.priceFen)}/${b.unit}` },
          {
            title: t('进度'),
            render: (_, b) => (
              <Progress
                percent={Math.round((b.joinedQty / b.targetQty) * 100)}
                format={() => `${b.joinedQty}/${b.targetQty}`}
              />
            ),
          },
          { title: t('参团户数'), dataIndex: 'buyers' },
          { title: t('截止'), render: (_, b) => when(b.deadline) },
          {
            title: t('状态'),
            render: (_, b) => (
              <Tag
                color={
                  b.status === 'confirmed' ? 'green' : b.status === 'open' ? 'orange' : 'default'
                }
              >
                {t(
                  b.status === 'open'
                    ? '拼团中'
                    : b.status === 'confirmed'
                      ? '已成团，请备货'
                      : '未成团，已退款',
                )}
              </Tag>
            ),
          },
        ]}
      />
    </>
  );
}

/** A confirmed buy's joins to hand out. */
function Joins({ hallId, buyId }: { hallId: string; buyId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [joins, setJoins] = useState<GroupJoin[] | null>(null);
  const base = `/halls/${hallId}/group-buys/${buyId}/joins`;
  const load = useCallback(
    () =>
      api
        .get<GroupJoin[]>(base)
        .then(setJoins)
        .catch((e: Error) => void message.error(e.message)),
    [base, message],
  );
  useEffect(() => void load(), [load]);
  const act = (path: string, body?: object) =>
    api.post(path, body).then(
      () => void load(),
      (e: Error) => void message.error(e.message),
    );
  return (
    <Table<GroupJoin>
      rowKey="id"
      size="small"
      loading={joins === null}
      dataSource={joins ?? []}
      pagination={false}
      data-testid="group-joins"
      columns={[
        { title: t('送到'), dataIndex: 'unit' },
        { title: t('数量'), dataIndex: 'quantity' },
        {
          title: t('交付'),
          render: (_, j) =>
            j.parcel?.status === 'cancelled'
              ? t('投柜未成功，请重新投柜')
              : j.parcel
                ? `${t('已投柜')} · ${j.parcel.lockerId} #${j.parcel.compartment}`
                : j.handedOverAt
                  ? `${t('已交付')} · ${when(j.handedOverAt)}`
                  : t(j.fulfilment === 'locker' ? '送到单元智能柜' : '到馆自取'),
        },
        {
          title: '',
          render: (_, j) =>
            // No parcel yet, or its deposit was given up (the door jammed or shut empty).
            (!j.parcel || j.parcel.status === 'cancelled') &&
            !j.handedOverAt && (
              <>
                {j.fulfilment === 'locker' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => void act(`${base}/${j.id}/deliver`, {})}
                  >
                    {t('投柜')}
                  </Button>
                )}{' '}
                <Button size="small" onClick={() => void act(`${base}/${j.id}/hand-over`)}>
                  {t('已交付')}
                </Button>
              </>
            ),
        },
      ]}
    />
  );
}
