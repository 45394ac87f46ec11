/**
 * The community fund's public page on the hall kiosk (issue 17 item 4): no sign-in, the same
 * public API the resident app reads — balance, income by source, spending and the projects
 * with budget and status. Voting and proposals stay in the resident app (they need a login).
 */
import { Tag } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { when } from '../../shared/format.ts';
import { useT } from '../../shared/i18n.ts';
import { type PublicFund, yuan } from '../../shared/ledger.ts';
import { ReceiptFiles } from '../../shared/receipts.tsx';
import { kiosk } from './kiosk-api.ts';

const STATUS: Record<string, string> = {
  open: '征集中',
  in_round: '投票中',
  selected: '已入选',
  not_selected: '未入选',
  funded: '已拨款',
};

const card = { background: '#fff', borderRadius: 12, padding: '12px 20px', marginBottom: 12 };
const row = { display: 'flex', gap: 8 } as const;

/** The fund of the community the kiosk's hall stands in. */
export function Fund({ communityId }: { communityId: string }) {
  const { t } = useT();
  const [fund, setFund] = useState<PublicFund | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    kiosk.fund(communityId).then(setFund, (e: Error) => setError(e.message));
  }, [communityId]);
  if (error) return <p role="alert">{error}</p>;
  if (!fund) return null;
  const spending = fund.movements.filter((m) => m.amountFen < 0);
  return (
    <div style={{ fontSize: 18 }} data-testid="kiosk-fund">
      <h2 style={{ marginTop: 0 }}>
        {fund.communityName} · {t('社区发展基金')}
      </h2>
      <div style={card}>
        <div style={{ fontSize: 32, fontWeight: 600 }} data-testid="fund-balance">
          {yuan(fund.balanceFen)}
        </div>
        <div style={{ color: '#666' }}>{t('当前余额，每一笔收支都公开在下面')}</div>
      </div>
      <h3>{t('收入来源')}</h3>
      <div style={card}>
        {fund.income.length === 0 && t('暂无')}
        {fund.income.map((i) => (
          <div key={i.source} style={row} data-testid="fund-income">
            <span style={{ flex: 1 }}>{i.source}</span>
            <span>{yuan(i.amountFen)}</span>
          </div>
        ))}
      </div>
      <h3>{t('公益项目')}</h3>
      {fund.projects.length === 0 && <div style={card}>{t('暂无')}</div>}
      {fund.projects.map((p) => (
        <div key={p.proposalId} style={card} data-testid="fund-project">
          <div style={row}>
            <b style={{ flex: 1 }}>{p.title}</b>
            <span>
              {t('预算')} {yuan(p.budgetFen)}
            </span>
            <Tag color={p.status === 'funded' || p.status === 'selected' ? 'success' : 'default'}>
              {t(STATUS[p.status] ?? p.status)}
            </Tag>
          </div>
          {p.votes !== null && (
            <div>
              {p.votes} {t('票')}
            </div>
          )}
          {p.payments.map((x) => (
            <div key={x.spendId} data-testid="fund-payment">
              {t('拨款')} {yuan(x.amountFen)} → {x.payee}（{t('凭证')} {x.receipt}）{' '}
              {x.status === 'executed' ? when(x.executedAt) : t('待第二人批准')}
              <ReceiptFiles files={x.files} />
            </div>
          ))}
        </div>
      ))}
      <h3>{t('支出')}</h3>
      <div style={card}>
        {spending.length === 0 && t('暂无')}
        {spending.map((m) => (
          <div key={m.entryId} style={row} data-testid="fund-spend">
            <span style={{ flex: 1 }}>
              {when(m.at)} · {m.memo}
            </span>
            <span>{yuan(-m.amountFen)}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
