/**
 * 找社区: my requests to the community (track each through its history), a form to file a
 * new one with photos, and, once answered, a rating or — within 7 days of closing — reopening.
 */
import {
  Button,
  Dialog,
  Empty,
  Image,
  List,
  NavBar,
  Popup,
  Rate,
  Space,
  Steps,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../../../shared/i18n.ts';
import { NeedIntakeForm } from '../../../../shared/needs/NeedIntakeForm.tsx';
import {
  ACTION_LABEL,
  localTime,
  type NeedView,
  photoUrl,
  STATUS_LABEL,
} from '../../../../shared/needs/needs-api.ts';
import { useLive } from '../../../../shared/live.ts';
import { api } from '../../api.ts';

function Photos({ ids }: { ids: string[] }) {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    void Promise.all(ids.map((id) => photoUrl(api, id).catch(() => ''))).then(
      (u) => live && setUrls(u.filter(Boolean)),
    );
    return () => {
      live = false;
    };
  }, [ids]);
  if (!urls.length) return null;
  return (
    <Space wrap>
      {urls.map((u) => (
        <Image key={u} src={u} width={80} height={80} fit="cover" style={{ borderRadius: 4 }} />
      ))}
    </Space>
  );
}

function Detail({ need, onChanged }: { need: NeedView; onChanged(n: NeedView): void }) {
  const { t } = useT();
  const [stars, setStars] = useState(5);
  const [comment, setComment] = useState('');
  const rate = async () => {
    try {
      onChanged(
        await api.post<NeedView>(`/me/needs/${need.id}/rating`, {
          rating: stars,
          ...(comment.trim() ? { comment } : {}),
        }),
      );
      Toast.show({ icon: 'success', content: t('感谢您的评价') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };
  const reopen = async () => {
    let reason = '';
    const ok = await Dialog.confirm({
      title: t('重新打开诉求'),
      content: (
        <TextArea placeholder={t('还有什么没解决？')} onChange={(v) => (reason = v)} rows={3} />
      ),
    });
    if (!ok) return;
    try {
      onChanged(await api.post<NeedView>(`/me/needs/${need.id}/reopen`, { reason }));
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };
  const canRate = (need.status === 'replied' || need.status === 'closed') && need.rating === null;
  const canReopen = need.reopenUntil !== null && Date.parse(need.reopenUntil) > Date.now();
  return (
    <div style={{ padding: 16 }} data-testid="need-detail">
      <Space direction="vertical" block>
        <Space>
          <b>{t(need.serviceName)}</b>
          <Tag color={STATUS_LABEL[need.status].color}>{t(STATUS_LABEL[need.status].text)}</Tag>
        </Space>
        <div style={{ color: '#666' }}>{need.place}</div>
        <div style={{ whiteSpace: 'pre-wrap' }}>{need.description}</div>
        <Photos ids={need.photoIds} />
        <div style={{ color: '#999' }}>
          {t('办理期限')} {localTime(need.dueAt)}
        </div>
        {need.reply && (
          <div
            style={{ background: '#f0f9f4', padding: 12, borderRadius: 6 }}
            data-testid="need-reply"
          >
            <b>{t('社区答复')}：</b>
            {need.reply}
          </div>
        )}
        {need.rating !== null && (
          <div>
            {t('我的评价')} <Rate readOnly value={need.rating} /> {need.ratingComment}
          </div>
        )}
        {canRate && (
          <div data-testid="need-rate">
            <div>{t('对这次办理满意吗？')}</div>
            <Rate value={stars} onChange={setStars} />
            <TextArea
              placeholder={t('说说您的感受（选填）')}
              value={comment}
              onChange={setComment}
              rows={2}
              maxLength={500}
            />
            <Button
              color="primary"
              size="small"
              onClick={() => void rate()}
              data-testid="need-rate-submit"
            >
              {t('提交评价')}
            </Button>
          </div>
        )}
        {canReopen && (
          <Button size="small" onClick={() => void reopen()}>
            {t('问题没解决，重新打开')}
          </Button>
        )}
        <Steps direction="vertical" current={need.history.length - 1}>
          {need.history.map((h, i) => (
            <Steps.Step
              key={i}
              title={t(ACTION_LABEL[h.action] ?? h.action)}
              description={`${localTime(h.at)}${h.note ? ` · ${h.note}` : ''}`}
            />
          ))}
        </Steps>
      </Space>
    </div>
  );
}

/** The 找社区 tab. */
export function NeedsTab() {
  const { t } = useT();
  const [items, setItems] = useState<NeedView[] | null>(null);
  const [filing, setFiling] = useState(false);
  const [open, setOpen] = useState<NeedView | null>(null);
  const load = useCallback(
    () =>
      api.get<{ items: NeedView[] }>('/me/needs').then(
        (r) => {
          setItems(r.items);
          // An open request's detail follows its status too.
          setOpen((cur) => (cur ? (r.items.find((x) => x.id === cur.id) ?? cur) : cur));
        },
        (e: Error) => Toast.show(e.message),
      ),
    [],
  );
  // A step on one of my requests arrives as a `need` frame (ADR 0015); `ready` covers a reconnect.
  const live = useLive(api, true, (f) => {
    if (f.type === 'need' || f.type === 'ready') void load();
  });
  useEffect(() => {
    void load();
    if (live) return;
    // Without the live stream (proxy, reconnecting): look again every 20 s.
    const timer = setInterval(() => void load(), 20_000);
    return () => clearInterval(timer);
  }, [load, live]);

  if (filing)
    return (
      <div>
        <NavBar onBack={() => setFiling(false)}>{t('向社区反映')}</NavBar>
        <div style={{ padding: 12 }}>
          <NeedIntakeForm
            channel="app"
            api={api}
            onDone={() => {
              setFiling(false);
              void load();
            }}
          />
        </div>
      </div>
    );
  return (
    <div>
      <NavBar back={null}>{t('找社区')}</NavBar>
      <div style={{ padding: 12 }}>
        <Button
          block
          color="primary"
          size="large"
          onClick={() => setFiling(true)}
          data-testid="need-new"
        >
          {t('我要反映')}
        </Button>
      </div>
      {items && items.length === 0 && (
        <Empty description={t('还没有诉求。报修、求助、咨询、建议，都可以找社区')} />
      )}
      <List header={t('我的诉求')}>
        {items?.map((n) => (
          <List.Item
            key={n.id}
            onClick={() => setOpen(n)}
            extra={<Tag color={STATUS_LABEL[n.status].color}>{t(STATUS_LABEL[n.status].text)}</Tag>}
            description={`${localTime(n.receivedAt)} · ${t('期限')} ${localTime(n.dueAt)}`}
          >
            {t(n.serviceName)}
          </List.Item>
        ))}
      </List>
      <Popup
        visible={open !== null}
        onMaskClick={() => setOpen(null)}
        bodyStyle={{ maxHeight: '85vh', overflow: 'auto' }}
      >
        {open && (
          <Detail
            need={open}
            onChanged={(n) => {
              setOpen(n);
              void load();
            }}
          />
        )}
      </Popup>
    </div>
  );
}
