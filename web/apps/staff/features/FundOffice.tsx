/**
 * The community development fund in the finance tab: the balance and movements (as the
 * public page shows them), voting rounds and tallies, and two-person payments.
 */
import { App, Button, Card, Col, InputNumber, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { type FundSpend as Spend, type PublicFund, yuan } from '../../../shared/ledger.ts';
import { api } from '../api.ts';

/** The fund office of one community (the finance tab's lower half). */
export function FundOffice({ communityId }: { communityId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [fund, setFund] = useState<PublicFund | null>(null);
  const [spends, setSpends] = useState<Spend[]>([]);
  const [cap, setCap] = useState<number | null>(null);
  const [minSupports, setMinSupports] = useState<number | null>(null);
  const fail = (e: Error) => void message.error(e.message);
  const load = useCallback(() => {
    api.get<PublicFund>(`/public/communities/${communityId}/fund`).then(setFund, fail);
    api.get<Spend[]>(`/communities/${communityId}/fund/spends`).then(setSpends, fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [communityId]);
  useEffect(load, [load]);
  const done = (ok: string) => () => {
    void message.success(t(ok));
    load();
  };
  const openRound = () => {
    const now = Date.now();
    void api
      .post(`/communities/${communityId}/fund/rounds`, {
        title: `${new Date(now).toISOString().slice(0, 7)} ${t('微实事投票')}`,
        budgetCapFen: Math.round((cap ?? 0) * 100),
        opensAt: new Date(now).toISOString(),
        closesAt: new Date(now + 14 * 86_400_000).toISOString(),
        minSupports: minSupports ?? 0,
      })
      .then(done('投票已开始（14天）'), fail);
  };
  return (
    <Col xs={24}>
      <Card
        title={`${t('社区发展基金')} · ${yuan(fund?.balanceFen ?? 0)}`}
        size="small"
        data-testid="fund-office"
        extra={
          <Space>
            <InputNumber
              placeholder={t('本轮上限（元）')}
              value={cap}
              onChange={(v) => setCap(v === null ? null : Number(v))}
            />
            <InputNumber
              placeholder={t('至少几户支持')}
              min={0}
              value={minSupports}
              onChange={(v) => setMinSupports(v === null ? null : Number(v))}
            />
            <Button onClick={openRound} disabled={!cap}>
              {t('开启投票')}
            </Button>
          </Space>
        }
      >
        <Table
          size="small"
          rowKey="proposalId"
          pagination={false}
          dataSource={fund?.projects ?? []}
          columns={[
            { title: t('项目'), dataIndex: 'title' },
            { title: t('预算'), dataIndex: 'budgetFen', render: (v: number) => yuan(v) },
            { title: t('状态'), dataIndex: 'status', render: (v: string) => <Tag>{v}</Tag> },
            { title: t('支持'), dataIndex: 'supports' },
            { title: t('票'), dataIndex: 'votes', render: (v: number | null) => v ?? '—' },
            {
              title: '',
              render: (_, p) => {
                // Instalments: what is left of the budget after the payments made so far.
                const left =
                  p.budgetFen -
                  p.payments
                    .filter((x) => x.status === 'executed')
                    .reduce((sum, x) => sum + x.amountFen, 0);
                return (
                  (p.status === 'selected' || p.status === 'funded') &&
                  left > 0 && (
                    <Button
                      size="small"
                      onClick={() => {
                        const amount = Number(
                          window.prompt(t('金额（元）'), (left / 100).toFixed(2)) ?? '',
                        );
                        const payee = window.prompt(t('收款方')) ?? '';
                        const receipt = window.prompt(t('发票/凭证号')) ?? '';
                        if (amount > 0 && payee && receipt)
                          void api
                            .post(`/communities/${communityId}/fund/spends`, {
                              proposalId: p.proposalId,
                              amountFen: Math.round(amount * 100),
                              payee,
                              receipt,
                            })
                            .then(done('已申请，待另一位同事批准'), fail);
                      }}
                    >
                      {t('申请拨款')}
                    </Button>
                  )
                );
              },
            },
          ]}
        />
        {(fund?.rounds ?? [])
          .filter((r) => !r.talliedAt)
          .map((r) => (
            <Space key={r.roundId} style={{ marginTop: 8 }}>
              {r.title} · {t('截止')} {when(r.closesAt)}
              <Button
                size="small"
                onClick={() =>
                  void api
                    .post(`/communities/${communityId}/fund/rounds/${r.roundId}/tally`)
                    .then(done('已计票并公布'), fail)
                }
              >
                {t('计票')}
              </Button>
            </Space>
          ))}
        <Table
          style={{ marginTop: 8 }}
          size="small"
          rowKey="spendId"
          pagination={false}
          dataSource={spends}
          columns={[
            { title: t('收款方'), dataIndex: 'payee' },
            { title: t('金额'), dataIndex: 'amountFen', render: (v: number) => yuan(v) },
            { title: t('凭证'), dataIndex: 'receipt' },
            {
              title: t('状态'),
              render: (_, s) =>
                s.status === 'executed' ? (
                  <Tag color="success">{t('已拨款')}</Tag>
                ) : (
                  <Button
                    size="small"
                    onClick={() =>
                      void api
                        .post(`/communities/${communityId}/fund/spends/${s.spendId}/approve`)
                        .then(done('已批准并拨款'), fail)
                    }
                  >
                    {t('批准（第二人）')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </Col>
  );
}
