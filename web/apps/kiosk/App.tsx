/**
 * The locker touchscreen (1080×1920 portrait, also fine on a small landscape panel):
 * keypad pickup with big high-contrast feedback (tries left, and how long a run of wrong
 * codes holds the keypad), a QR for pickup from the resident app (online only), the place
 * in the header, and the courier's sign-in and deposit (CourierPanel). Everything it calls is the agent's local API, so a
 * valid code still opens a door while the cloud is down (offline verifiers, ADR 0012).
 */
import { Button } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../../shared/i18n.ts';
import { LangSwitch } from '../../shared/LangSwitch.tsx';
import { Qr } from '../../shared/qr.tsx';
import { CourierPanel } from './CourierPanel.tsx';
import { type Feedback, FeedbackLine, useDescribe } from './feedback.tsx';
import * as screen from './screen-api.ts';

const LEN = 8;
const RESET_MS = 15_000;

export function App() {
  const { t } = useT();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [fb, setFb] = useState<Feedback | null>(null);
  const [st, setSt] = useState<screen.ScreenStatus | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [courier, setCourier] = useState(false);
  const resetTimer = useRef<number | undefined>(undefined);

  const show = useCallback((f: Feedback) => {
    setFb(f);
    window.clearTimeout(resetTimer.current);
    if (f.tone !== 'busy') resetTimer.current = window.setTimeout(() => setFb(null), RESET_MS);
  }, []);

  useEffect(() => {
    const poll = () => {
      screen
        .status()
        .then(setSt)
        .catch(() => setSt((s) => (s ? { ...s, online: false } : s)));
      // The agent serves /api/qr from screenQrPayload() (a new QR every 30 s window; none until the first sync brought the key, none offline).
      screen
        .qr()
        .then((q) => setQr(q?.text ?? null))
        .catch(() => setQr(null));
    };
    poll();
    const id = window.setInterval(poll, 5000);
    return () => window.clearInterval(id);
  }, []);

  // While the keypad waits (slowed or locked) count down on screen and ask the agent again when it ends.
  const keypad = st?.keypad;
  const [wait, setWait] = useState(0);
  useEffect(() => {
    if (!keypad || keypad.state === 'open') return setWait(0);
    const until = Date.now() + keypad.retryAfterSeconds * 1000;
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setWait(left);
      if (left === 0)
        void screen
          .status()
          .then(setSt)
          .catch(() => undefined);
    };
    tick();
    const id = window.setInterval(tick, 1000);
    return () => window.clearInterval(id);
    // Re-arm only when the hold itself changes, not on every status poll's new object.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keypad?.state, keypad?.retryAfterSeconds]);
  const held = keypad && keypad.state !== 'open' && wait > 0 ? keypad.state : null;
  // Neither QR works offline (app pickup and courier sign-in both go through the cloud): the agent withholds it, and so does the screen.
  const liveQr = st?.online ? qr : null;

  const describe = useDescribe();

  const submit = async () => {
    if (busy) return;
    if (code.length !== LEN) return show({ text: t('请输入完整的 8 位数字取件码'), tone: 'bad' });
    setBusy(true);
    show({ text: t('正在验证，请稍候…'), tone: 'busy' });
    try {
      show(describe(await screen.enterCode(code)));
      // A wrong code may have slowed or locked the keypad: show it now, not at the next poll.
      void screen
        .status()
        .then(setSt)
        .catch(() => undefined);
    } catch {
      show({ text: t('暂时无法服务，请稍后再试或联系服务馆'), tone: 'bad' });
    }
    setCode('');
    setBusy(false);
  };

  const press = (d: string) => !busy && setCode((c) => (c.length < LEN ? c + d : c));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (courier) return; // the courier panel's fields take the keys (and a waybill scanner's)
      if (/^[0-9]$/.test(e.key)) press(e.key);
      else if (e.key === 'Backspace') setCode((c) => c.slice(0, -1));
      else if (e.key === 'Enter') void submit();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const big = 'clamp(28px, 5vh, 88px)';
  return (
    <main
      style={{
        color: '#fff',
        display: 'flex',
        flexDirection: 'column',
        height: '100vh',
        overflow: 'hidden',
        maxWidth: 1080,
        margin: '0 auto',
        padding: '3vh 5vw',
        boxSizing: 'border-box',
        gap: '1.8vh',
      }}
    >
      <header
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          fontSize: 'clamp(18px, 2.6vh, 40px)',
        }}
      >
        <span data-testid="place">{st?.place ?? t('蚁巢智能柜')}</span>
        <span style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
          <span
            role="status"
            data-testid="net"
            style={{
              whiteSpace: 'nowrap',
              padding: '.2em .8em',
              borderRadius: '1em',
              background: st?.online ? '#173d34' : '#7a4f00',
            }}
          >
            {st?.online ? t('在线') : t('离线（可用取件码取件）')}
          </span>
          <LangSwitch dark />
        </span>
      </header>
      {courier ? (
        <CourierPanel
          qr={liveQr}
          online={st?.online ?? false}
          onBack={() => {
            setCourier(false);
            setFb(null);
          }}
        />
      ) : (
        <>
          <div
            style={{
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'space-between',
              gap: 24,
            }}
          >
            <h1 style={{ margin: 0, fontSize: big }}>{t('输入取件码')}</h1>
            {liveQr ? (
              <figure data-testid="pickup-qr" style={{ margin: 0, textAlign: 'center' }}>
                <Qr text={liveQr} size={160} label={t('用蚁巢 App 扫码取件')} />
                <figcaption style={{ fontSize: 'clamp(14px,1.8vh,28px)' }}>
                  {t('App 扫码取件')}
                </figcaption>
              </figure>
            ) : null}
          </div>
          <div
            aria-label={t('已输入的取件码')}
            data-testid="code-boxes"
            style={{ display: 'grid', gridTemplateColumns: `repeat(${LEN}, 1fr)`, gap: '1.2vw' }}
          >
            {Array.from({ length: LEN }, (_, i) => (
              <span
                key={i}
                style={{
                  height: '8vh',
                  display: 'flex',
                  alignItems: 'center',
                  justifyContent: 'center',
                  background: '#173d34',
                  borderRadius: '1.2vh',
                  fontSize: big,
                  border: `3px solid ${i === code.length ? '#ffb800' : 'transparent'}`,
                }}
              >
                {code[i] ? '•' : ''}
              </span>
            ))}
          </div>
          {held && (
            <div
              role="status"
              data-testid="keypad-held"
              data-state={held}
              style={{
                background: held === 'locked' ? '#5c1f1f' : '#5c4300',
                borderRadius: '1.2vh',
                padding: '1vh 2vw',
                textAlign: 'center',
                fontSize: 'clamp(18px, 2.6vh, 40px)',
              }}
            >
              {held === 'locked'
                ? t('错误次数过多，键盘已锁定，{{t}}后可再输入', { t: mmss(wait, t) })
                : t('请 {{t}}后再输入取件码', { t: mmss(wait, t) })}
              <div style={{ fontSize: '.75em', opacity: 0.85 }}>
                {t('用蚁巢 App 远程开柜或扫码取件不受影响')}
              </div>
            </div>
          )}
          {held !== 'locked' && (
            <FeedbackLine fb={fb ?? { text: t('请输入 8 位取件码'), tone: 'busy' }} />
          )}
          <div
            style={{
              display: 'grid',
              gridTemplateColumns: 'repeat(3, 1fr)',
              gridTemplateRows: 'repeat(5, minmax(0, 1fr))',
              gap: '1.6vh 3vw',
              flex: 1,
              minHeight: '36vh',
            }}
          >
            {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
              <Key key={d} label={d} aria={t('数字 {{d}}', { d })} onPress={() => press(d)} />
            ))}
            <Key
              label={t('清空')}
              aria={t('清空')}
              ghost
              onPress={() => {
                setCode('');
                setFb(null);
              }}
            />
            <Key label="0" aria={t('数字 {{d}}', { d: '0' })} onPress={() => press('0')} />
            <Key
              label="⌫"
              aria={t('删除一位')}
              ghost
              onPress={() => setCode((c) => c.slice(0, -1))}
            />
            <div style={{ gridColumn: 'span 3' }}>
              <Key
                label={t('确认取件')}
                aria={t('确认取件')}
                accent
                disabled={busy || held !== null}
                onPress={() => void submit()}
              />
            </div>
          </div>
          <Button
            block
            style={{
              fontSize: 'clamp(22px,3.4vh,56px)',
              minHeight: '7vh',
              flexShrink: 0,
              '--background-color': '#173d34',
              '--text-color': '#fff',
              '--border-color': '#3a6b5e',
            }}
            onClick={() => {
              setCourier(true);
              setFb(null);
            }}
          >
            {t('快递员投递')}
          </Button>
        </>
      )}
    </main>
  );
}

/** "1 分 05 秒" or "12 秒". */
function mmss(seconds: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  return seconds >= 60
    ? t('{{m}} 分 {{s}} 秒', {
        m: Math.floor(seconds / 60),
        s: String(seconds % 60).padStart(2, '0'),
      })
    : t('{{s}} 秒', { s: seconds });
}

function Key({
  label,
  aria,
  onPress,
  ghost,
  accent,
  disabled,
}: {
  label: string;
  aria: string;
  onPress(): void;
  ghost?: boolean;
  accent?: boolean;
  disabled?: boolean;
}) {
  return (
    <Button
      block
      aria-label={aria}
      disabled={disabled}
      onClick={onPress}
      style={{
        minHeight: 0,
        height: '100%',
        padding: 0,
        lineHeight: 1,
        borderRadius: '2vh',
        fontSize: ghost ? 'clamp(22px,3.4vh,56px)' : 'clamp(28px,4.4vh,96px)',
        '--background-color': accent ? '#ffb800' : ghost ? '#173d34' : '#f4f7f5',
        '--text-color': ghost ? '#fff' : '#0b1f1a',
        '--border-color': 'transparent',
      }}
    >
      {label}
    </Button>
  );
}
