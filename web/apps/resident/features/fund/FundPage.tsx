/**
 * The community development fund (社区发展基金) in the open: balance, where the money came
 * from, every movement, the projects with budget, payments and receipts, and the voting
 * round. Anyone may read it (the same public API serves the hall kiosk); a resident of the
 * community may propose a project, support open ones and cast the household's ballot.
 */
import {
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  List,
  NavBar,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { type FundHouseholds, type PublicFund, yuan } from '../../../../shared/ledger.ts';
import { ReceiptFiles } from '../../../../shared/receipts.tsx';
import { api } from '../../api.ts';

const STATUS: Record<string, string> = {
  open: '征集中',
  in_round: '投票中',
  selected: '已入选',
  not_selected: '未入选',
  funded: '已拨款',
};

/** The fund page of one community; `canAct` when the viewer lives there. */
export function FundPage({
  communityId,
  canAct,
  onBack,
}: {
  communityId: string;
  canAct: boolean;
  onBack?: () => void;
}) {
  const { t } = useT();
  const [fund, setFund] = useState<PublicFund | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState<string[]>([]);
  // What the viewer's household already did (one household here: the buttons act as it).
  const [mine, setMine] = useState<FundHouseholds[number] | null>(null);
  const load = useCallback(() => {
    if (canAct)
      void api
        .get<FundHouseholds>(`/me/communities/${communityId}/fund-households`)
        .then((h) => setMine(h.length === 1 ? h[0]! : null))
        .catch(() => setMine(null));
    return api
      .get<PublicFund>(`/public/communities/${communityId}/fund`)
      .then(setFund, (e: Error) => setError(e.message));
  }, [communityId, canAct]);
  useEffect(() => void load(), [load]);
  const now = new Date().toISOString();
  const round = fund?.rounds.find((r) => !r.talliedAt && r.opensAt <= now && now < r.closesAt);
  const act = (p: Promise<unknown>, ok: string) =>
    p.then(
      () => {
        Toast.show({ content: t(ok) });
        void load();
      },
      (e: Error) => Toast.show({ content: e.message }),
    );
  return (
    <div data-testid="fund-page">
      <NavBar onBack={onBack} backIcon={!!onBack}>
        {t('社区发展基金')}
      </NavBar>
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: 16 }}>
          {error}
        </div>
      )}
      {fund && (
        <>
          <Card title={fund.communityName} style={{ margin: 12 }}>
            <div style={{ fontSize: 28, fontWeight: 600 }} data-testid="fund-balance">
              {yuan(fund.balanceFen)}
            </div>
            <div style={{ color: '#888' }}>{t('当前余额，每一笔收支都公开在下面')}</div>
          </Card>
          <List header={t('收入来源')}>
            {fund.income.length === 0 && <List.Item>{t('暂无')}</List.Item>}
            {fund.income.map((i) => (
              <List.Item key={i.source} extra={yuan(i.amountFen)}>
                {i.source}
              </List.Item>
            ))}
          </List>
          {round && canAct && (
            <List
              header={`${t('正在投票')}：${round.title}（${t('上限')} ${yuan(round.budgetCapFen)}）`}
            >
              <List.Item>
                <Checkbox.Group value={choice} onChange={(v) => setChoice(v as string[])}>
                  {round.proposals.map((p) => (
                    <div key={p.proposalId} style={{ padding: '4px 0' }}>
                      <Checkbox value={p.proposalId}>
                        {p.title} · {yuan(p.budgetFen)}
                      </Checkbox>
                    </div>
                  ))}
                </Checkbox.Group>
              </List.Item>
              <List.Item>
                <Button
                  color="primary"
                  block
                  disabled={choice.length === 0 || !!mine?.voted.includes(round.roundId)}
                  data-testid="fund-vote"
                  onClick={() =>
                    void act(
                      api.post(`/fund/rounds/${round.roundId}/ballot`, { proposalIds: choice }),
                      '已投票，每户每轮一票',
                    )
                  }
                >
                  {mine?.voted.includes(round.roundId) ? t('本户已投票') : t('以本户名义投票')}
                </Button>
              </List.Item>
            </List>
          )}
          <List header={t('公益项目')}>
            {fund.projects.length === 0 && <List.Item>{t('暂无')}</List.Item>}
            {fund.projects.map((p) => (
              <List.Item
                key={p.proposalId}
                description={
                  <>
                    <div>{p.body}</div>
                    {p.payments.map((x) => (
                      <div key={x.spendId}>
                        {t('拨款')} {yuan(x.amountFen)} → {x.payee}（{t('凭证')} {x.receipt}）{' '}
                        {x.status === 'executed' ? when(x.executedAt) : t('待第二人批准')}
                        <ReceiptFiles files={x.files} />
                      </div>
                    ))}
                  </>
                }
                extra={
                  <>
                    <Tag
                      color={
                        p.status === 'funded' || p.status === 'selected' ? 'success' : 'default'
                      }
                    >
                      {t(STATUS[p.status] ?? p.status)}
                    </Tag>
                    {p.votes !== null && (
                      <div>
                        {p.votes} {t('票')}
                      </div>
                    )}
                    {p.status === 'open' && (
                      <div data-testid="fund-supports">
                        {p.supports} {t('户支持')}
                      </div>
                    )}
                    {p.status === 'open' && canAct && mine?.supported.includes(p.proposalId) && (
                      <Button size="mini" disabled data-testid="fund-supported">
                        {t('本户已支持')}
                      </Button>
                    )}
                    {p.status === 'open' && canAct && !mine?.supported.includes(p.proposalId) && (
                      <Button
                        size="mini"
                        color="primary"
                        fill="outline"
                        onClick={() =>
                          void act(
                            api.post(`/fund/proposals/${p.proposalId}/support`, {}),
                            '已支持，每户每个提案一次',
                          )
                        }
                      >
                        {t('支持')}
                      </Button>
                    )}
                  </>
                }
              >
                {p.title} · {yuan(p.budgetFen)}
              </List.Item>
            ))}
          </List>
          {canAct && <Propose communityId={communityId} onDone={() => void load()} />}
          <List header={t('全部收支')}>
            {fund.movements.length === 0 && <List.Item>{t('暂无')}</List.Item>}
            {fund.movements.map((m) => (
              <List.Item
                key={m.entryId}
                description={`${when(m.at)}${m.source ? ` · ${m.source}` : ''}`}
                extra={<span data-testid="fund-movement">{yuan(m.amountFen)}</span>}
              >
                {m.memo}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </div>
  );
}

function Propose({ communityId, onDone }: { communityId: string; onDone(): void }) {
  const { t } = useT();
  const [form] = Form.useForm();
  return (
    <Form
      form={form}
      layout="horizontal"
      mode="card"
      footer={
        <Button block type="submit" color="primary">
          {t('提交提案')}
        </Button>
      }
      onFinish={(v: { title: string; description: string; budget: string }) =>
        void api
          .post(`/communities/${communityId}/fund/proposals`, {
            title: v.title,
            description: v.description,
            budgetFen: Math.round(Number(v.budget) * 100),
          })
          .then(
            () => {
              form.resetFields();
              Toast.show({ content: t('提案已提交，下一轮投票时居民可以选它') });
              onDone();
            },
            (e: Error) => Toast.show({ content: e.message }),
          )
      }
    >
      <Form.Header>{t('提一个公益项目')}</Form.Header>
      <Form.Item name="title" label={t('项目')} rules={[{ required: true }]}>
        <Input placeholder={t('例如：楼前长椅')} />
      </Form.Item>
      <Form.Item name="description" label={t('说明')} rules={[{ required: true }]}>
        <TextArea rows={3} placeholder={t('做什么、在哪里、谁受益')} />
      </Form.Item>
      <Form.Item name="budget" label={t('预算（元）')} rules={[{ required: true }]}>
        <Input type="number" />
      </Form.Item>
    </Form>
  );
}
