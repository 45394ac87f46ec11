/**
 * A staff role's first screen: who I am where (role and place by name), the lockers of my
 * area at a glance (online, offline, open alerts) and the ones that need someone, by place.
 */
import { App, Card, Col, Descriptions, List, Row, Statistic, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import type { LockerSummary, Workplaces } from '../../../shared/types.ts';
import { api } from '../api.ts';
import type { Tick } from '../Console.tsx';
import { placeText, ROLE_LABEL, STAFF_ROLES } from '../place.ts';

interface Hall {
  id: string;
  name: string;
  address: string;
  openingHours: string;
}

/** A staff role's first screen for the picked community. */
export function Overview({
  communityId,
  me,
  tick,
  onAlerts,
}: {
  communityId: string;
  me: Workplaces;
  tick: Tick;
  onAlerts(n: number): void;
}) {
  const { t } = useT();
  const { message } = App.useApp();
  const [lockers, setLockers] = useState<LockerSummary[] | null>(null);
  const [halls, setHalls] = useState<Hall[]>([]);
  const community = me.communities.find((c) => c.id === communityId);

  useEffect(() => {
    let live = true;
    api
      .get<LockerSummary[]>(`/communities/${communityId}/lockers?limit=500`)
      .then((rows) => {
        if (!live) return;
        setLockers(rows);
        onAlerts(rows.reduce((n, l) => n + (l.counts?.openAlerts ?? 0), 0));
      })
      .catch((e: Error) => void message.error(e.message));
    return () => void (live = false);
  }, [communityId, tick.lockers, tick.alerts, message, onAlerts]);

  useEffect(() => {
    const ids = me.grants
      .filter((g) => g.role === 'hall_staff' && g.communityId === communityId)
      .map((g) => g.scopeId);
    Promise.all(ids.map((id) => api.get<Hall>(`/halls/${id}`)))
      .then(setHalls)
      .catch((e: Error) => void message.error(e.message));
  }, [me, communityId, message]);

  const online = lockers?.filter((l) => l.presence === 'online').length ?? 0;
  const alerts = lockers?.reduce((n, l) => n + (l.counts?.openAlerts ?? 0), 0) ?? 0;
  const needy = (lockers ?? []).filter(
    (l) =>
      l.presence !== 'online' || (l.counts?.openAlerts ?? 0) > 0 || (l.counts?.doorsOpen ?? 0) > 0,
  );
  const attention = needy.slice(0, 10);
  const where = (g: Workplaces['grants'][number]) =>
    g.placeName
      ? g.scopeKind === 'grid' && g.communityName
        ? `${g.communityName} ${g.placeName}`
        : g.placeName
      : t('全平台');

  return (
    <Row gutter={[16, 16]} data-testid="overview">
      <Col xs={24} lg={10}>
        <Card title={t('我的岗位')} size="small">
          <Descriptions column={1} size="small">
            {me.grants
              .filter((g) => STAFF_ROLES.has(g.role))
              .map((g, i) => (
                <Descriptions.Item key={i} label={t(ROLE_LABEL[g.role] ?? g.role)}>
                  <span data-testid="my-place">{where(g)}</span>
                </Descriptions.Item>
              ))}
            <Descriptions.Item label={t('当前社区')}>
              {community ? `${community.subdistrict} · ${community.name}` : '—'}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        {halls.map((h) => (
          <Card key={h.id} title={h.name} size="small" style={{ marginTop: 16 }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('地址')}>{h.address}</Descriptions.Item>
              <Descriptions.Item label={t('营业时间')}>{h.openingHours}</Descriptions.Item>
            </Descriptions>
          </Card>
        ))}
      </Col>
      <Col xs={24} lg={14}>
        <Card title={t('我负责的智能柜')} size="small" loading={lockers === null}>
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={t('智能柜')} value={lockers?.length ?? 0} />
            </Col>
            <Col span={6}>
              <Statistic title={t('在线')} value={online} />
            </Col>
            <Col span={6}>
              <Statistic title={t('离线')} value={(lockers?.length ?? 0) - online} />
            </Col>
            <Col span={6}>
              <Statistic title={t('未处理告警')} value={alerts} />
            </Col>
          </Row>
        </Card>
        <Card
          title={t('需要关注')}
          size="small"
          style={{ marginTop: 16 }}
          extra={
            needy.length > attention.length
              ? t('另有 {{n}} 台，可在“智能柜”中筛选', { n: needy.length - attention.length })
              : null
          }
        >
          <List
            size="small"
            dataSource={attention}
            locale={{ emptyText: t('所有柜机在线，没有未处理的告警') }}
            renderItem={(l) => (
              <List.Item data-testid="attention">
                <Typography.Text>{placeText(l.place, l.name, t)}</Typography.Text>
                <span>
                  {l.presence !== 'online' && <Tag color="default">{t('离线')}</Tag>}
                  {(l.counts?.openAlerts ?? 0) > 0 && (
                    <Tag color="red">{t('告警 {{n}}', { n: l.counts!.openAlerts })}</Tag>
                  )}
                  {(l.counts?.doorsOpen ?? 0) > 0 && (
                    <Tag color="orange">{t('开着的门 {{n}}', { n: l.counts!.doorsOpen })}</Tag>
                  )}
                </span>
              </List.Item>
            )}
          />
        </Card>
      </Col>
    </Row>
  );
}
