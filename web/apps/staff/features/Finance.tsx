/**
 * Finance for the community office (and read-only for hall staff): a hall's distribution
 * rules and terms, balances and journal (filter, CSV), the month close, its employees; and the
 * community development fund: voting rounds, tallies and two-person payments.
 */
import { App, Button, Card, Col, Input, InputNumber, Row, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import {
  downloadCsv,
  type HallFinance as Finance,
  type HallLedger as Ledger,
  yuan,
} from '../../../shared/ledger.ts';
import { api } from '../api.ts';
import { FundOffice } from './FundOffice.tsx';
import { HallEmployees } from './HallEmployees.tsx';

const RECIPIENT: Record<string, string> = {
  community_fund: '社区发展基金',
  community_venue: '社区场地费',
  platform: '平台',
};

/** The finance tab. `manager` may edit; hall staff see their hall only. */
export function Finance({
  communityId,
  hallId,
  manager,
}: {
  communityId: string;
  hallId: string | null;
  manager: boolean;
}) {
  const { t } = useT();
  const { message } = App.useApp();
  const [halls, setHalls] = useState<{ id: string; name: string }[]>([]);
  const [hall, setHall] = useState<string | null>(hallId);
  useEffect(() => {
    if (!manager) return;
    api
      .get<{ id: string; name: string }[]>(`/communities/${communityId}/halls`)
      .then((h) => {
        setHalls(h);
        setHall((x) => x ?? h[0]?.id ?? null);
      })
      .catch((e: Error) => void message.error(e.message));
  }, [communityId, manager, message]);
  return (
    <Row gutter={[16, 16]} data-testid="finance">
      {manager && halls.length > 1 && (
        <Col xs={24}>
          <Select
            value={hall}
            onChange={setHall}
            options={halls.map((h) => ({ value: h.id, label: h.name }))}
            style={{ minWidth: 240 }}
          />
        </Col>
      )}
      {hall && <HallFinance hallId={hall} manager={manager} />}
      {hall && <HallEmployees hallId={hall} />}
      {manager && <FundOffice communityId={communityId} />}
      {!hall && <Col xs={24}>{t('暂无')}</Col>}
    </Row>
  );
}

function HallFinance({ hallId, manager }: { hallId: string; manager: boolean }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [fin, setFin] = useState<Finance | null>(null);
  const [ledger, setLedger] = useState<Ledger | null>(null);
  const [kind, setKind] = useState<string | undefined>();
  const [period, setPeriod] = useState('');
  const fail = (e: Error) => void message.error(e.message);
  const load = useCallback(() => {
    api.get<Finance>(`/halls/${hallId}/finance`).then(setFin, fail);
    api.get<Ledger>(`/halls/${hallId}/ledger${kind ? `?kind=${kind}` : ''}`).then(setLedger, fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hallId, kind]);
  useEffect(load, [load]);
  const rules = fin?.rules ?? [];
  const setRule = (i: number, patch: Partial<Finance['rules'][number]>) =>
    setFin((f) => f && { ...f, rules: f.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const save = () =>
    fin &&
    api
      .put<Finance>(`/halls/${hallId}/finance`, {
        rules: fin.rules,
        totalShares: fin.totalShares ?? 100,
        payoutBp: fin.payoutBp ?? 0,
      })
      .then((f) => {
        setFin(f);
        void message.success(t('已保存'));
      }, fail);
  return (
    <>
      <Col xs={24} lg={12}>
        <Card title={t('分成规则（其余归运营方）')} size="small">
          <Table
            size="small"
            rowKey={(_, i) => String(i)}
            pagination={false}
            dataSource={rules}
            columns={[
              {
                title: t('给谁'),
                dataIndex: 'recipient',
                render: (v: string) => t(RECIPIENT[v] ?? v),
              },
              { title: t('适用'), dataIndex: 'appliesTo' },
              {
                title: '%',
                render: (_, r, i) => (
                  <InputNumber
                    disabled={!manager}
                    value={r.percentBp / 100}
                    min={0}
                    max={100}
                    onChange={(v) => setRule(i, { percentBp: Math.round(Number(v ?? 0) * 100) })}
                  />
                ),
              },
              { title: t('下限'), dataIndex: 'minFen', render: (v: number) => yuan(v) },
              {
                title: t('上限'),
                dataIndex: 'maxFen',
                render: (v: number | null) => (v === null ? '—' : yuan(v)),
              },
            ]}
          />
          {manager && (
            <Space style={{ marginTop: 8 }} wrap>
              <Select
                placeholder={t('添加接收方')}
                style={{ width: 160 }}
                options={Object.keys(RECIPIENT).map((k) => ({ value: k, label: t(RECIPIENT[k]!) }))}
                onChange={(recipient) =>
                  setFin(
                    (f) =>
                      f && {
                        ...f,
                        rules: [
                          ...f.rules,
                          {
                            recipient,
                            appliesTo: 'service',
                            percentBp: 500,
                            minFen: 0,
                            maxFen: null,
                          },
                        ],
                      },
                  )
                }
              />
              {t('总股数')}
              <InputNumber
                min={1}
                value={fin?.totalShares ?? 100}
                onChange={(v) => setFin((f) => f && { ...f, totalShares: Number(v) })}
              />
              {t('分红比例 %')}
              <InputNumber
                min={0}
                max={100}
                value={(fin?.payoutBp ?? 0) / 100}
                onChange={(v) =>
                  setFin((f) => f && { ...f, payoutBp: Math.round(Number(v) * 100) })
                }
              />
              <Button type="primary" onClick={() => void save()}>
                {t('保存')}
              </Button>
            </Space>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card
          title={t('余额')}
          size="small"
          extra={
            manager && (
              <Space>
                <Input
                  placeholder="2026-11"
                  value={period}
                  onChange={(e) => setPeriod(e.target.value)}
                  style={{ width: 100 }}
                />
                <Button
                  onClick={() =>
                    void api.post(`/halls/${hallId}/closes`, { period }).then(() => {
                      void message.success(t('已结账'));
                      load();
                    }, fail)
                  }
                >
                  {t('月末结账')}
                </Button>
              </Space>
            )
          }
        >
          <Table
            size="small"
            rowKey="accountId"
            pagination={false}
            dataSource={ledger?.balances ?? []}
            columns={[
              { title: t('账户'), dataIndex: 'name' },
              { title: t('余额'), dataIndex: 'balanceFen', render: (v: number) => yuan(v) },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24}>
        <Card
          title={t('流水')}
          size="small"
          extra={
            <Space>
              <Select
                allowClear
                placeholder={t('类型')}
                style={{ width: 140 }}
                value={kind}
                onChange={setKind}
                options={['sale', 'refund', 'dividend', 'fund_spend'].map((k) => ({
                  value: k,
                  label: k,
                }))}
              />
              <Button
                onClick={() =>
                  void downloadCsv(api, `/halls/${hallId}/ledger/journal.csv`, 'journal.csv').catch(
                    fail,
                  )
                }
              >
                CSV
              </Button>
            </Space>
          }
        >
          <Table
            size="small"
            rowKey="entryId"
            dataSource={ledger?.entries ?? []}
            columns={[
              { title: '#', dataIndex: 'seq' },
              { title: t('时间'), dataIndex: 'at', render: (v: string) => when(v) },
              { title: t('类型'), dataIndex: 'kind', render: (v: string) => <Tag>{v}</Tag> },
              { title: t('摘要'), dataIndex: 'memo' },
              {
                title: t('分录'),
                render: (_, e) =>
                  e.lines
                    .map((l) => `${l.accountId.split(':')[0]} ${yuan(l.amountFen)}`)
                    .join(' · '),
              },
            ]}
          />
        </Card>
      </Col>
    </>
  );
}
