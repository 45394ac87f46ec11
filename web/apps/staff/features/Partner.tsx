/**
 * A partner's (社区合伙人) console: the hall they invested in (name, address, hours) and
 * their own statement from the ledger (shares, invested, dividends, every line, CSV).
 * The same statement is in the resident app under 我的 → 社区账本.
 */
import { App, Button, Card, Col, Descriptions, Row, Table, Typography } from 'antd';
import { when } from '../../../shared/format.ts';
import { downloadCsv, type Statement, yuan } from '../../../shared/ledger.ts';
import { useEffect, useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import type { Workplaces } from '../../../shared/types.ts';
import { api } from '../api.ts';

interface Hall {
  id: string;
  name: string;
  address: string;
  openingHours: string;
}

/** A partner's first screen: their halls and their statements. */
export function Partner({ halls }: { halls: Workplaces['grants'] }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Hall[] | null>(null);
  const [statements, setStatements] = useState<Statement[] | null>(null);
  useEffect(() => {
    Promise.all(halls.map((g) => api.get<Hall>(`/halls/${g.scopeId}`)))
      .then(setRows)
      .catch((e: Error) => void message.error(e.message));
    api
      .get<Statement[]>('/me/partner')
      .then(setStatements)
      .catch((e: Error) => void message.error(e.message));
  }, [halls, message]);
  return (
    <Row gutter={[16, 16]} data-testid="partner">
      {(rows ?? []).map((h) => (
        <Col xs={24} lg={12} key={h.id}>
          <Card title={h.name} size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('所在社区')}>
                {halls.find((g) => g.scopeId === h.id)?.communityName ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('地址')}>{h.address}</Descriptions.Item>
              <Descriptions.Item label={t('营业时间')}>{h.openingHours}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      ))}
      {(statements ?? []).map((st) => (
        <Col xs={24} lg={12} key={st.agreementId}>
          <Card
            title={`${t('我的分红')} · ${st.hallName}`}
            size="small"
            data-testid="partner-statement"
            extra={
              <Button
                size="small"
                onClick={() =>
                  void downloadCsv(
                    api,
                    `/me/partner/statement.csv?agreementId=${st.agreementId}`,
                    `partner-${st.agreementId}.csv`,
                  ).catch((e: Error) => void message.error(e.message))
                }
              >
                CSV
              </Button>
            }
          >
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('股份')}>
                {st.shares} / {st.totalShares}
              </Descriptions.Item>
              <Descriptions.Item label={t('投资额')}>{yuan(st.investedFen)}</Descriptions.Item>
              <Descriptions.Item label={t('累计分红')}>{yuan(st.dividendsFen)}</Descriptions.Item>
              <Descriptions.Item label={t('账户余额')}>{yuan(st.balanceFen)}</Descriptions.Item>
            </Descriptions>
            <Table
              size="small"
              rowKey="entryId"
              pagination={{ pageSize: 10 }}
              dataSource={st.lines}
              columns={[
                { title: t('日期'), dataIndex: 'at', render: (v: string) => when(v) },
                { title: t('摘要'), dataIndex: 'memo' },
                { title: t('金额'), dataIndex: 'amountFen', render: (v: number) => yuan(v) },
              ]}
            />
          </Card>
        </Col>
      ))}
      <Col xs={24}>
        <Typography.Text type="secondary">
          {t('在居民端「我的 → 社区账本」也能随时查看自己的账单。')}
        </Typography.Text>
      </Col>
    </Row>
  );
}
