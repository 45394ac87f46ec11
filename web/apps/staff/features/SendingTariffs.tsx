/**
 * The sending tariff table (寄件价格, issue 20), for operator admins: each carrier's price
 * per weight band and compartment size, in yuan on screen and fen on the wire. Residents
 * are quoted from this table; a changed price reaches new quotes (a quote holds 30 minutes).
 */
import { Alert, Button, Card, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import { yuan } from '../../../shared/ledger.ts';
import { SIZE_LABEL, type SendingTariffs as Tariffs } from '../../../shared/types.ts';
import { api } from '../api.ts';

export function SendingTariffs() {
  const { t } = useT();
  const [table, setTable] = useState<Tariffs | null>(null);
  const [carriers, setCarriers] = useState<{ id: string; name: string; kind: string }[]>([]);
  const [carrierId, setCarrierId] = useState<string | null>(null);
  const [band, setBand] = useState('0-1kg');
  const [size, setSize] = useState('S');
  const [yuanPrice, setYuanPrice] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api
      .get<Tariffs>('/sending/tariffs')
      .then(setTable)
      .catch((e: Error) => setError(e.message));
    api
      .get<{ id: string; name: string; kind: string }[]>('/carriers')
      .then((c) => {
        const express = c.filter((x) => x.kind === 'express');
        setCarriers(express);
        setCarrierId((cur) => cur ?? express[0]?.id ?? null);
      })
      .catch(() => {});
  }, []);

  const save = async () => {
    setError(null);
    setSaved(false);
    if (!carrierId || yuanPrice === null) return;
    try {
      setTable(
        await api.put<Tariffs>('/sending/tariffs', {
          carrierId,
          weightBand: band,
          size,
          priceFen: Math.round(yuanPrice * 100),
        }),
      );
      setSaved(true);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const remove = async (c: string, b: string, s: string) => {
    setError(null);
    try {
      setTable(
        await api.del<Tariffs>(
          `/sending/tariffs?carrierId=${encodeURIComponent(c)}&weightBand=${encodeURIComponent(b)}&size=${s}`,
        ),
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const rows =
    table?.carriers.flatMap((c) =>
      c.prices.map((p) => ({
        key: `${c.carrierId}/${p.weightBand}/${p.size}`,
        carrierId: c.carrierId,
        carrier: c.carrierName,
        ...p,
      })),
    ) ?? [];

  return (
    <Card title={t('寄件价格')}>
      {error && <Alert type="error" message={error} style={{ marginBottom: 12 }} />}
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('快递公司')}
          style={{ minWidth: 140 }}
          value={carrierId ?? undefined}
          onChange={setCarrierId}
          options={carriers.map((c) => ({ label: c.name, value: c.id }))}
        />
        <Select
          aria-label={t('重量段')}
          value={band}
          onChange={setBand}
          options={(table?.weightBands ?? []).map((b) => ({ label: b, value: b }))}
        />
        <Select
          aria-label={t('格口大小')}
          value={size}
          onChange={setSize}
          options={(table?.sizes ?? []).map((s) => ({ label: t(SIZE_LABEL[s]!), value: s }))}
        />
        <InputNumber
          aria-label={t('单价（元）')}
          min={0.01}
          max={10000}
          step={0.5}
          precision={2}
          value={yuanPrice}
          onChange={(v) => setYuanPrice(v)}
          addonAfter="¥"
        />
        <Button type="primary" onClick={() => void save()} disabled={yuanPrice === null}>
          {t('保存价格')}
        </Button>
        {saved && <Typography.Text type="success">{t('已保存')}</Typography.Text>}
      </Space>
      <Table
        size="small"
        pagination={{ pageSize: 32 }}
        dataSource={rows}
        columns={[
          { title: t('快递公司'), dataIndex: 'carrier' },
          { title: t('重量段'), dataIndex: 'weightBand' },
          { title: t('格口大小'), dataIndex: 'size', render: (s: string) => t(SIZE_LABEL[s]!) },
          { title: t('单价'), dataIndex: 'priceFen', render: (f: number) => yuan(f) },
          {
            title: '',
            key: 'remove',
            render: (_: unknown, r: (typeof rows)[number]) => (
              <Button
                size="small"
                danger
                onClick={() => void remove(r.carrierId, r.weightBand, r.size)}
              >
                {t('删除')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
