/**
 * A partner's own view (社区合伙人): for each hall they invested in, their shares, the
 * amount invested, dividends posted by the period closes and every line of their account,
 * with a CSV download. The server answers only the caller's own agreements.
 */
import { Button, Card, List, NavBar, Tag } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { when } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { downloadCsv, type Statement, yuan } from '../../../../shared/ledger.ts';
import { api } from '../../api.ts';

/** My partner statements. */
export function PartnerStatement({ onBack }: { onBack(): void }) {
  const { t } = useT();
  const [rows, setRows] = useState<Statement[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<Statement[]>('/me/partner').then(setRows, (e: Error) => setError(e.message));
  }, []);
  return (
    <div data-testid="partner-statement">
      <NavBar onBack={onBack}>{t('我的合伙人账单')}</NavBar>
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: 16 }}>
          {error}
        </div>
      )}
      {rows?.length === 0 && <p style={{ padding: 16 }}>{t('还没有合伙协议。')}</p>}
      {rows?.map((s) => (
        <Card key={s.agreementId} title={s.hallName} style={{ margin: 12 }}>
          <List>
            <List.Item extra={`${s.shares} / ${s.totalShares}`}>{t('股份')}</List.Item>
            <List.Item extra={yuan(s.investedFen)}>{t('投资额')}</List.Item>
            <List.Item extra={s.startedOn}>{t('合伙开始')}</List.Item>
            <List.Item extra={yuan(s.dividendsFen)}>{t('累计分红')}</List.Item>
            <List.Item extra={<b data-testid="partner-balance">{yuan(s.balanceFen)}</b>}>
              {t('账户余额')}
            </List.Item>
          </List>
          <List header={t('明细')}>
            {s.lines.length === 0 && <List.Item>{t('暂无')}</List.Item>}
            {s.lines.map((l) => (
              <List.Item key={l.entryId} description={when(l.at)} extra={yuan(l.amountFen)}>
                <Tag color={l.kind === 'dividend' ? 'success' : 'default'}>{t(l.memo)}</Tag>
              </List.Item>
            ))}
          </List>
          <Button
            block
            style={{ marginTop: 8 }}
            onClick={() =>
              void downloadCsv(
                api,
                `/me/partner/statement.csv?agreementId=${s.agreementId}`,
                `partner-${s.agreementId}.csv`,
              ).catch((e: Error) => setError(e.message))
            }
          >
            {t('下载账单 CSV')}
          </Button>
        </Card>
      ))}
    </div>
  );
}
