/**
 * The hall kiosk (服务馆自助机, issue 15 item 5): a touchscreen in the hall. Anyone sees
 * the hall, its hours, services and prices, notices and activities, and the community fund; a resident signs in with an SMS code for a
 * short session (ADR 0023) to query their own social security, find their grid worker and
 * community police, and sign up for activities. The session ends on 退出, after IDLE_MS
 * without a touch, or when the server's timer ends it, whichever comes first.
 */
import { Button, Input, Toast } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../../shared/i18n.ts';
import { useBoardLive } from '../../shared/live.ts';
import { LangSwitch } from '../../shared/LangSwitch.tsx';
import { Board } from './Board.tsx';
import { Fund } from './Fund.tsx';
import { type HallCard, kiosk, type KioskBoard, type KioskSession } from './kiosk-api.ts';
import { Services } from './Services.tsx';

const HALL_KEY = 'antnest.hallKiosk.hall';
const IDLE_MS = 60_000;

function configuredHall(): string | null {
  const q = new URLSearchParams(location.search).get('hall');
  if (q) return q;
  try {
    return localStorage.getItem(HALL_KEY);
  } catch {
    return null;
  }
}

export function App() {
  const { t } = useT();
  const [hallId, setHallId] = useState<string | null>(configuredHall);
  const [halls, setHalls] = useState<HallCard[] | null>(null);
  const [board, setBoard] = useState<KioskBoard | null>(null);
  const [session, setSession] = useState<KioskSession | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showFund, setShowFund] = useState(false);

  const reload = useCallback(
    () =>
      hallId
        ? kiosk.board(hallId).then(setBoard, (e: Error) => setError(e.message))
        : Promise.resolve(),
    [hallId],
  );
  useEffect(() => {
    if (!hallId) {
      kiosk.halls().then(setHalls, (e: Error) => setError(e.message));
      return;
    }
    void reload();
    // A safety net: the live stream below brings new notices at once.
    const id = window.setInterval(() => void reload(), 60_000);
    return () => window.clearInterval(id);
  }, [hallId, reload]);
  // A notice or activity published, made urgent or pinned over this hall's place: show it now.
  useBoardLive(hallId, (f) => {
    if (f.type === 'notice' || f.type === 'ready') void reload();
  });

  const end = useCallback(() => {
    void kiosk.signOut();
    setSession(null);
  }, []);
  // End the session when nobody touches the screen for IDLE_MS, or when its time is up.
  const last = useRef(Date.now());
  useEffect(() => {
    if (!session) return;
    last.current = Date.now();
    const touch = () => (last.current = Date.now());
    window.addEventListener('pointerdown', touch);
    window.addEventListener('keydown', touch);
    const id = window.setInterval(() => {
      if (Date.now() - last.current > IDLE_MS || Date.now() > Date.parse(session.expiresAt)) end();
    }, 1000);
    return () => {
      window.clearInterval(id);
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('keydown', touch);
    };
  }, [session, end]);

  if (!hallId)
    return (
      <main style={{ padding: 32 }}>
        <h1>{t('这台自助机在哪个服务馆？')}</h1>
        {error && <p role="alert">{error}</p>}
        {halls?.map((h) => (
          <Button
            key={h.id}
            block
            size="large"
            style={{ marginBottom: 12 }}
            onClick={() => {
              try {
                localStorage.setItem(HALL_KEY, h.id);
              } catch {
                /* kiosk without storage: stays set until reload */
              }
              setHallId(h.id);
            }}
          >
            {h.name} · {h.address}
          </Button>
        ))}
      </main>
    );

  return (
    <main style={{ display: 'flex', flexDirection: 'column', minHeight: '100vh' }}>
      <header
        style={{
          background: '#0a7a5a',
          color: '#fff',
          padding: '16px 24px',
          display: 'flex',
          alignItems: 'center',
          gap: 16,
        }}
      >
        <div style={{ flex: 1 }}>
          <div style={{ fontSize: 28, fontWeight: 600 }}>{board?.hall.name ?? t('蚁巢服务馆')}</div>
          <div style={{ fontSize: 18 }}>
            {t('营业时间')} {board?.hall.openingHours} · {board?.hall.address}
          </div>
        </div>
        <LangSwitch dark />
      </header>
      {error && (
        <p role="alert" style={{ color: '#cf1322', padding: '0 24px' }}>
          {error}
        </p>
      )}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, padding: 24, flex: 1 }}>
        <section style={{ flex: '1 1 420px', minWidth: 0 }}>
          {session ? (
            <Services session={session} hallId={hallId} onEnd={end} />
          ) : (
            <SignIn hallId={hallId} onSignedIn={setSession} />
          )}
        </section>
        <section style={{ flex: '1 1 420px', minWidth: 0 }}>
          <div style={{ display: 'flex', gap: 12, marginBottom: 12 }}>
            <Button
              size="large"
              color={showFund ? 'default' : 'primary'}
              onClick={() => setShowFund(false)}
            >
              {t('服务与公告')}
            </Button>
            <Button
              size="large"
              color={showFund ? 'primary' : 'default'}
              onClick={() => setShowFund(true)}
            >
              {t('社区基金')}
            </Button>
          </div>
          {board && (showFund ? <Fund communityId={board.communityId} /> : <Board board={board} />)}
        </section>
      </div>
    </main>
  );
}

function SignIn({ hallId, onSignedIn }: { hallId: string; onSignedIn: (s: KioskSession) => void }) {
  const { t } = useT();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const act = async (f: () => Promise<void>) => {
    setBusy(true);
    try {
      await f();
    } catch (e) {
      Toast.show({ content: (e as Error).message, duration: 4000 });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ background: '#fff', borderRadius: 12, padding: 24, fontSize: 20 }}>
      <h2 style={{ marginTop: 0 }}>{t('居民自助服务')}</h2>
      <p>{t('社保查询、我的网格员和社区民警、活动报名。请用手机号和短信验证码登录。')}</p>
      <Input
        aria-label={t('手机号')}
        placeholder={t('手机号')}
        inputMode="numeric"
        value={phone}
        onChange={setPhone}
        style={{
          '--font-size': '24px',
          border: '1px solid #ccc',
          padding: 12,
          borderRadius: 8,
          marginBottom: 12,
        }}
      />
      {sent && (
        <Input
          aria-label={t('验证码')}
          placeholder={t('6 位验证码')}
          inputMode="numeric"
          maxLength={6}
          value={code}
          onChange={setCode}
          style={{
            '--font-size': '24px',
            border: '1px solid #ccc',
            padding: 12,
            borderRadius: 8,
            marginBottom: 12,
          }}
        />
      )}
      {!sent ? (
        <Button
          block
          size="large"
          color="primary"
          loading={busy}
          disabled={phone.length < 11}
          onClick={() =>
            void act(async () => {
              await kiosk.sendCode(phone);
              setSent(true);
            })
          }
        >
          {t('获取验证码')}
        </Button>
      ) : (
        <Button
          block
          size="large"
          color="primary"
          loading={busy}
          disabled={code.length !== 6}
          onClick={() => void act(async () => onSignedIn(await kiosk.signIn(hallId, phone, code)))}
        >
          {t('登录')}
        </Button>
      )}
      <p style={{ fontSize: 16, color: '#666' }}>
        {t('登录后 3 分钟或 1 分钟无操作自动退出，不会留下您的信息。')}
      </p>
    </div>
  );
}
