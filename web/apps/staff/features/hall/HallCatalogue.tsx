/** The catalogue: stock alerts first, then every item with its price, stock and availability editable in place; add items. */
import { Alert, App, Button, Form, Input, InputNumber, Select, Switch, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import { type Catalogue, type Item, yuan } from '../../../../shared/hall.ts';

export function HallCatalogue({ hallId }: { hallId: string }) {
  const { t, lang } = useT();
  const { message } = App.useApp();
  const [cat, setCat] = useState<Catalogue | null>(null);
  const load = useCallback(
    () =>
      api
        .get<Catalogue>(`/halls/${hallId}/catalogue`)
        .then(setCat)
        .catch((e: Error) => void message.error(e.message)),
    [hallId, message],
  );
  useEffect(() => void load(), [load]);
  const edit = async (i: Item, patch: object) => {
    try {
      await api.patch(`/halls/${hallId}/items/${i.id}`, patch);
      void load();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  const add = async (v: {
    kind: 'product' | 'service';
    category: string;
    name: string;
    price: number;
    unit: string;
    stock?: number;
  }) => {
    try {
      await api.post(`/halls/${hallId}/items`, {
        kind: v.kind,
        category: v.category,
        name: v.name,
        description: '',
        priceFen: Math.round(v.price * 100),
        unit: v.unit,
        ...(v.kind === 'product' ? { stock: v.stock ?? 0, lowStock: 5 } : {}),
      });
      void load();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  if (!cat) return null;
  const low = cat.items.filter((i) => i.active && i.stock !== null && i.stock <= i.lowStock);
  const catName = (code: string) => {
    const c = cat.categories.find((x) => x.code === code);
    return c ? (lang === 'en' ? c.en : c.zh) : code;
  };
  return (
    <>
      {low.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="stock-alerts"
          message={t('库存告急：{{items}}', {
            items: low.map((i) => `${i.name}（${i.stock}）`).join('，'),
          })}
        />
      )}
      <Form
        layout="inline"
        onFinish={(v) => void add(v as never)}
        style={{ marginBottom: 12 }}
        initialValues={{ kind: 'product', unit: '份' }}
      >
        <Form.Item name="kind">
          <Select
            aria-label={t('类型')}
            options={[
              { value: 'product', label: t('商品') },
              { value: 'service', label: t('服务') },
            ]}
            style={{ width: 90 }}
          />
        </Form.Item>
        <Form.Item name="category" rules={[{ required: true }]}>
          <Select
            aria-label={t('分类')}
            placeholder={t('分类')}
            style={{ width: 140 }}
            options={cat.categories.map((c) => ({ value: c.code, label: catName(c.code) }))}
          />
        </Form.Item>
        <Form.Item name="name" rules={[{ required: true }]}>
          <Input placeholder={t('名称')} aria-label={t('名称')} />
        </Form.Item>
        <Form.Item name="price" rules={[{ required: true }]}>
          <InputNumber min={0} placeholder={t('单价（元）')} aria-label={t('单价（元）')} />
        </Form.Item>
        <Form.Item name="unit">
          <Input style={{ width: 60 }} aria-label={t('单位')} />
        </Form.Item>
        <Form.Item name="stock">
          <InputNumber min={0} placeholder={t('库存')} aria-label={t('库存')} />
        </Form.Item>
        <Button htmlType="submit">{t('上架')}</Button>
      </Form>
      <Table<Item>
        rowKey="id"
        size="small"
        dataSource={cat.items}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('分类'), render: (_, i) => catName(i.category) },
          { title: t('名称'), dataIndex: 'name' },
          {
            title: t('单价'),
            render: (_, i) => (
              <InputNumber
                size="small"
                min={0}
                defaultValue={i.priceFen / 100}
                prefix="¥"
                aria-label={t('单价（元）')}
                onBlur={(e) => {
                  const fen = Math.round(Number(e.target.value) * 100);
                  if (Number.isFinite(fen) && fen !== i.priceFen) void edit(i, { priceFen: fen });
                }}
              />
            ),
          },
          {
            title: t('库存'),
            render: (_, i) =>
              i.stock === null ? (
                t('预约')
              ) : (
                <InputNumber
                  size="small"
                  min={0}
                  defaultValue={i.stock}
                  aria-label={t('库存')}
                  onBlur={(e) => {
                    const n = Number(e.target.value);
                    if (Number.isInteger(n) && n !== i.stock) void edit(i, { stock: n });
                  }}
                />
              ),
          },
          { title: t('原价'), render: (_, i) => yuan(i.priceFen) },
          {
            title: t('在售'),
            render: (_, i) => (
              <Switch
                size="small"
                checked={i.active}
                onChange={(on) => void edit(i, { active: on })}
              />
            ),
          },
        ]}
      />
    </>
  );
}
