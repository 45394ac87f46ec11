/**
 * A partner's (社区合伙人) console today: the hall they invested in, by name, address and
 * hours. Shares, revenue and dividends come with the ledger; a card says so instead of
 * calling APIs a partner may not use.
 */
import { App, Card, Col, Descriptions, Row, Typography } from 'antd';
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

/** A partner's first screen: their halls and the ledger as coming. */
export function Partner({ halls }: { halls: Workplaces['grants'] }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Hall[] | null>(null);
  useEffect(() => {
    Promise.all(halls.map((g) => api.get<Hall>(`/halls/${g.scopeId}`)))
      .then(setRows)
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
      <Col xs={24} lg={12}>
        <Card title={t('股份、营收与分红')} size="small" data-testid="coming">
          <Typography.Paragraph>
            {t(
              '服务馆的账目、您的股份与分红，以及捐入社区发展基金的部分，将在账本上线后在这里公开。',
            )}
          </Typography.Paragraph>
          <Typography.Text type="secondary">{t('即将开放')}</Typography.Text>
        </Card>
      </Col>
    </Row>
  );
}
