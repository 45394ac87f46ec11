/**
 * 通知 tab: community notices (urgent and pinned first), public-welfare activities with
 * sign-up and the waiting list, my sign-ups, and the parcel messages that were here before.
 * Plain antd-mobile parts, so elder mode (elder.css) enlarges text and touch targets.
 */
import { Button, Dialog, Empty, List, NavBar, PullToRefresh, Tabs, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { useLive } from '../../../shared/live.ts';
import {
  type ActivityView,
  AUDIENCE_LABEL,
  type NoticeView,
  seatsText,
  type SignupResult,
} from '../../../shared/notices.ts';
import { api } from '../api.ts';

type Message = { id: string; body: string; createdAt: string };

export function Notices() {
  const { t } = useT();
  const [notices, setNotices] = useState<NoticeView[] | null>(null);
  const [activities, setActivities] = useState<ActivityView[] | null>(null);
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<NoticeView | null>(null);
  const load = useCallback(async () => {
    try {
      const [n, a, m] = await Promise.all([
        api.get<NoticeView[]>('/me/notices'),
        api.get<ActivityView[]>('/me/activities'),
        api.get<Message[]>('/me/notifications'),
      ]);
      setNotices(n);
      setActivities(a);
      setMessages(m);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => void load(), [load]);
  // A notice or activity published, made urgent or pinned in my places appears without a reload.
  useLive(api, true, (f) => {
    if (f.type === 'notice') void load();
  });

  const signUp = async (a: ActivityView) => {
    try {
      const r = await api.post<SignupResult>(`/me/activities/${a.id}/signup`);
      Toast.show(
        r.status === 'confirmed'
          ? t('报名成功')
          : t('已满，您在候补第 {{n}} 位', { n: r.waitingPosition }),
      );
      await load();
    } catch (e) {
      Toast.show((e as Error).message);
    }
  };
  const cancel = async (a: ActivityView) => {
    const ok = await Dialog.confirm({
      content: t('取消报名「{{title}}」？', { title: a.title }),
      confirmText: t('取消报名'),
      cancelText: t('再想想'),
    });
    if (!ok) return;
    try {
      await api.del(`/me/activities/${a.id}/signup`);
      Toast.show(t('已取消报名'));
      await load();
    } catch (e) {
      Toast.show((e as Error).message);
    }
  };

  const mine = activities?.filter((a) => a.mine) ?? [];
  const activityItem = (a: ActivityView) => (
    <List.Item
      key={a.id}
      data-activity={a.title}
      description={
        <>
          <div>
            {when(a.startsAt)} · {a.location}
          </div>
          <div>{a.description}</div>
          <div>
            {a.status === 'cancelled' ? (
              <Tag color="default">{t('活动已取消')}</Tag>
            ) : (
              <Tag color={a.confirmed >= a.capacity ? 'warning' : 'success'}>{seatsText(a, t)}</Tag>
            )}{' '}
            {a.mine?.status === 'confirmed' && <Tag color="primary">{t('已报名')}</Tag>}
            {a.mine?.status === 'waiting' && (
              <Tag color="warning">{t('候补第 {{n}} 位', { n: a.mine.waitingPosition })}</Tag>
            )}
          </div>
        </>
      }
      extra={
        a.status === 'open' &&
        (a.mine ? (
          <Button size="small" onClick={() => void cancel(a)}>
            {t('取消报名')}
          </Button>
        ) : a.signupClosesAt > new Date().toISOString() ? (
          <Button size="small" color="primary" onClick={() => void signUp(a)}>
            {a.confirmed >= a.capacity ? t('候补') : t('报名')}
          </Button>
        ) : (
          <Tag>{t('报名已截止')}</Tag>
        ))
      }
    >
      {a.title}
    </List.Item>
  );

  return (
    <>
      <NavBar back={null}>{t('通知')}</NavBar>
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: 16 }}>
          {error}
        </div>
      )}
      <PullToRefresh onRefresh={load}>
        <Tabs>
          <Tabs.Tab title={t('公告')} key="notices">
            {notices && notices.length === 0 && <Empty description={t('暂无公告')} />}
            <List>
              {notices?.map((n) => (
                <List.Item
                  key={n.id}
                  onClick={() => setOpen(n)}
                  description={`${t(AUDIENCE_LABEL[n.audience.kind])} · ${when(n.createdAt)}`}
                  prefix={
                    n.urgent ? (
                      <Tag color="danger">{t('紧急')}</Tag>
                    ) : n.pinned ? (
                      <Tag color="primary">{t('置顶')}</Tag>
                    ) : null
                  }
                >
                  {n.title}
                </List.Item>
              ))}
            </List>
          </Tabs.Tab>
          <Tabs.Tab title={t('活动')} key="activities">
            {activities && activities.length === 0 && <Empty description={t('近期没有活动')} />}
            <List>{activities?.map(activityItem)}</List>
          </Tabs.Tab>
          <Tabs.Tab title={t('我的报名')} key="mine">
            {activities && mine.length === 0 && <Empty description={t('还没有报名活动')} />}
            <List>{mine.map(activityItem)}</List>
          </Tabs.Tab>
          <Tabs.Tab title={t('消息')} key="messages">
            {messages && messages.length === 0 && <Empty description={t('暂无通知')} />}
            <List>
              {messages?.map((n) => (
                <List.Item key={n.id} description={when(n.createdAt)}>
                  {n.body}
                </List.Item>
              ))}
            </List>
          </Tabs.Tab>
        </Tabs>
      </PullToRefresh>
      <Dialog
        visible={open !== null}
        title={open?.title}
        content={<div style={{ whiteSpace: 'pre-wrap' }}>{open?.body}</div>}
        closeOnMaskClick
        onClose={() => setOpen(null)}
        actions={[{ key: 'ok', text: t('知道了'), onClick: () => setOpen(null) }]}
      />
    </>
  );
}
