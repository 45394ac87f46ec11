/** The hall's public board: its services and prices, counter phone, notices (urgent and pinned first) and upcoming activities posted for its place. */
import { Tag } from 'antd-mobile';
import { when } from '../../shared/format.ts';
import { yuan } from '../../shared/hall.ts';
import { useT } from '../../shared/i18n.ts';
import { seatsText } from '../../shared/notices.ts';
import type { KioskBoard } from './kiosk-api.ts';

const card = {
  background: '#fff',
  borderRadius: 12,
  padding: '12px 20px',
  marginBottom: 12,
} as const;

export function Board({ board }: { board: KioskBoard }) {
  const { t, lang } = useT();
  const { services } = board;
  return (
    <div style={{ fontSize: 18 }}>
      <h2 style={{ marginTop: 0 }}>{t('本馆服务')}</h2>
      <div style={card} data-testid="board-services">
        {services.intro && <p style={{ marginTop: 0 }}>{services.intro}</p>}
        <div>
          {t('营业时间')} {board.hall.openingHours}
          {services.phone && (
            <>
              {' · '}
              {t('服务台电话')} <b data-testid="board-phone">{services.phone}</b>
            </>
          )}
        </div>
        {services.items.length === 0 && <p>{t('服务项目正在整理中，请到服务台咨询')}</p>}
        {services.categories.map((c) => (
          <div key={c.code} style={{ marginTop: 8 }}>
            <div style={{ fontWeight: 600 }}>{lang === 'en' ? c.en : c.zh}</div>
            {services.items
              .filter((i) => i.category === c.code)
              .map((i) => (
                <div key={i.id} data-testid="board-item" style={{ display: 'flex', gap: 8 }}>
                  <span style={{ flex: 1 }}>{i.name}</span>
                  <span>
                    {yuan(i.priceFen)}/{i.unit}
                  </span>
                </div>
              ))}
          </div>
        ))}
      </div>
      <h2>{t('通知公告')}</h2>
      {board.notices.length === 0 && <p>{t('暂无公告')}</p>}
      {board.notices.slice(0, 6).map((n) => (
        <article key={n.id} style={card} data-testid="board-notice">
          <div style={{ fontWeight: 600 }}>
            {n.urgent && <Tag color="danger">{t('紧急')}</Tag>}{' '}
            {n.pinned && <Tag color="primary">{t('置顶')}</Tag>} {n.title}
          </div>
          <div style={{ color: '#444', whiteSpace: 'pre-wrap' }}>{n.body}</div>
        </article>
      ))}
      <h2>{t('近期活动')}</h2>
      {board.activities.length === 0 && <p>{t('近期没有活动')}</p>}
      {board.activities.slice(0, 6).map((a) => (
        <article key={a.id} style={card}>
          <div style={{ fontWeight: 600 }}>{a.title}</div>
          <div>
            {when(a.startsAt)} · {a.location} · {seatsText(a, t)}
          </div>
        </article>
      ))}
    </div>
  );
}
