/**
 * What a signed-in resident does at the kiosk: their own social-security statement, their
 * grid worker and community police (tap to call), activity sign-up, and — when the needs
 * module fills slots.need — leaving a need for the community.
 */
import { Button, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { when } from '../../shared/format.ts';
import { useT } from '../../shared/i18n.ts';
import { type ActivityView, seatsText } from '../../shared/notices.ts';
import {
  call,
  type ContactsView,
  kiosk,
  type KioskSession,
  type SocialSecurityView,
} from './kiosk-api.ts';
import { slots } from './slots.ts';

type View = 'menu' | 'social' | 'contacts' | 'activities' | 'need';
const box = { background: '#fff', borderRadius: 12, padding: 24, fontSize: 20 } as const;
const yuan = (fen: number) =>
  `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 })}`;

export function Services(props: { session: KioskSession; hallId: string; onEnd: () => void }) {
  const { t } = useT();
  const [view, setView] = useState<View>('menu');
  const Need = slots.need;
  const tiles: [View, string][] = [
    ['social', t('社保查询')],
    ['contacts', t('我的网格员和社区民警')],
    ['activities', t('活动报名')],
    ...(Need ? ([['need', t('留下需求')]] as [View, string][]) : []),
  ];
  return (
    <div style={box}>
      <div style={{ display: 'flex', alignItems: 'center', marginBottom: 16 }}>
        <h2 style={{ margin: 0, flex: 1 }}>{t('您好，{{name}}', { name: props.session.name })}</h2>
        {view !== 'menu' && (
          <Button size="large" onClick={() => setView('menu')} style={{ marginRight: 12 }}>
            {t('返回')}
          </Button>
        )}
        <Button size="large" color="danger" onClick={props.onEnd}>
          {t('退出')}
        </Button>
      </div>
      {view === 'menu' &&
        tiles.map(([v, label]) => (
          <Button
            key={v}
            block
            size="large"
            color="primary"
            fill="outline"
            style={{ marginBottom: 12, height: 72, fontSize: 24 }}
            onClick={() => setView(v)}
          >
            {label}
          </Button>
        ))}
      {view === 'social' && <SocialSecurity />}
      {view === 'contacts' && <Contacts />}
      {view === 'activities' && <Activities />}
      {view === 'need' && Need && (
        <Need hallId={props.hallId} call={call} onDone={() => setView('menu')} />
      )}
    </div>
  );
}

function useLoad<T>(load: () => Promise<T>): [T | null, string | null, () => void] {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    load().then(setData, (e: Error) => setError(e.message));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [n]);
  return [data, error, () => setN((x) => x + 1)];
}

function SocialSecurity() {
  const { t } = useT();
  const [r, error] = useLoad<SocialSecurityView>(kiosk.socialSecurity);
  if (error) return <p role="alert">{error}</p>;
  if (!r) return <p>{t('查询中…')}</p>;
  const s = r.statement;
  if (!s) return <p>{t('没有查到您的社保记录。如已参保，请到社区便民服务窗口核实身份。')}</p>;
  return (
    <dl
      data-testid="social-security"
      style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '8px 24px', margin: 0 }}
    >
      <dt>{t('参保人')}</dt>
      <dd style={{ margin: 0 }}>{s.insuredName}</dd>
      <dt>{t('参保地')}</dt>
      <dd style={{ margin: 0 }}>{s.insuredPlace}</dd>
      <dt>{t('养老保险')}</dt>
      <dd style={{ margin: 0 }}>
        {s.pension.status} · {t('累计 {{n}} 个月', { n: s.pension.months })} · {t('个人账户')}{' '}
        {yuan(s.pension.balanceFen)}
      </dd>
      <dt>{t('医疗保险')}</dt>
      <dd style={{ margin: 0 }}>
        {s.medical.status} · {t('账户余额')} {yuan(s.medical.balanceFen)}
      </dd>
      <dt>{t('最近缴费')}</dt>
      <dd style={{ margin: 0 }}>{s.lastPaidMonth}</dd>
      <dt>{t('数据来源')}</dt>
      <dd style={{ margin: 0, color: '#888' }}>
        {r.source === 'local-demo' ? t('演示数据') : r.source} · {when(r.checkedAt)}
      </dd>
    </dl>
  );
}

function Contacts() {
  const { t } = useT();
  const [r, error] = useLoad<ContactsView>(kiosk.contacts);
  if (error) return <p role="alert">{error}</p>;
  if (!r) return <p>{t('查询中…')}</p>;
  if (r.units.length === 0)
    return <p>{t('您的账号还没有绑定住址，请在居民应用“我的家”中绑定。')}</p>;
  return (
    <>
      {r.units.map((u) => (
        <section key={u.unitId} data-testid="contacts">
          <h3>{u.label}</h3>
          {u.grid && (
            <p>
              {t('网格')}：{u.grid.name} · {t('网格员')}：
              {u.gridWorkers.map((w) => w.name).join('、') || t('待配备')}
              {u.grid.servicePhone && (
                <>
                  {' '}
                  · <a href={`tel:${u.grid.servicePhone}`}>{u.grid.servicePhone}</a>
                </>
              )}
            </p>
          )}
          {u.police.map((p) => (
            <p key={p.name}>
              {p.title} {p.name} {p.forMyGrid && <Tag color="primary">{t('本网格')}</Tag>} ·{' '}
              <a href={`tel:${p.workPhone}`}>{p.workPhone}</a>
            </p>
          ))}
        </section>
      ))}
    </>
  );
}

function Activities() {
  const { t } = useT();
  const [list, error, reload] = useLoad<ActivityView[]>(kiosk.activities);
  const act = async (f: () => Promise<unknown>, ok: string) => {
    try {
      await f();
      Toast.show(ok);
      reload();
    } catch (e) {
      Toast.show((e as Error).message);
    }
  };
  if (error) return <p role="alert">{error}</p>;
  if (!list) return <p>{t('查询中…')}</p>;
  if (list.length === 0) return <p>{t('近期没有活动')}</p>;
  return (
    <>
      {list.map((a) => (
        <div key={a.id} style={{ borderBottom: '1px solid #eee', padding: '12px 0' }}>
          <div style={{ fontWeight: 600 }}>{a.title}</div>
          <div>
            {when(a.startsAt)} · {a.location} · {seatsText(a, t)}{' '}
            {a.mine?.status === 'waiting' && (
              <Tag color="warning">{t('候补第 {{n}} 位', { n: a.mine.waitingPosition })}</Tag>
            )}
            {a.mine?.status === 'confirmed' && <Tag color="primary">{t('已报名')}</Tag>}
          </div>
          {a.status === 'open' &&
            (a.mine ? (
              <Button
                size="large"
                onClick={() => void act(() => kiosk.cancel(a.id), t('已取消报名'))}
              >
                {t('取消报名')}
              </Button>
            ) : (
              <Button
                size="large"
                color="primary"
                onClick={() => void act(() => kiosk.signUp(a.id), t('已提交'))}
              >
                {a.confirmed >= a.capacity ? t('候补') : t('报名')}
              </Button>
            ))}
        </div>
      ))}
    </>
  );
}
