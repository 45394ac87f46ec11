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
import { BIG, CODE_LENGTH as LEN, CodeBoxes, HeldBanner, KeyGrid } from './Keypad.tsx';
import * as screen from './screen-api.ts';
import { useScreenStatus } from './useScreenStatus.ts';

const RESET_MS = 15_000;

export function App() {
  const { t } = useT();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [fb, setFb] = useState<Feedback | null>(null);
  const [courier, setCourier] = useState(false);
  const resetTimer = useRef<number | undefined>(undefined);

  const show = useCallback((f: Feedback) => {
    setFb(f);
    window.clearTimeout(resetTimer.current);
    if (f.tone !== 'busy') resetTimer.current = window.setTimeout(() => setFb(null), RESET_MS);
  }, []);

  const { st, qr, wait, held, refresh } = useScreenStatus();
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
      refresh();
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
            <h1 style={{ margin: 0, fontSize: BIG }}>{t('输入取件码')}</h1>
            {liveQr ? (
              <figure data-testid="pickup-qr" style={{ margin: 0, textAlign: 'center' }}>
                <Qr text={liveQr} size={160} label={t('用蚁巢 App 扫码取件')} />
                <figcaption style={{ fontSize: 'clamp(14px,1.8vh,28px)' }}>
                  {t('App 扫码取件')}
                </figcaption>
              </figure>
            ) : null}
          </div>
          <CodeBoxes code={code} />
          {held && <HeldBanner held={held} wait={wait} />}
          {held !== 'locked' && (
            <FeedbackLine fb={fb ?? { text: t('请输入 8 位取件码'), tone: 'busy' }} />
          )}
          <KeyGrid
            disabled={busy || held !== null}
            onDigit={press}
            onClear={() => {
              setCode('');
              setFb(null);
            }}
            onDelete={() => setCode((c) => c.slice(0, -1))}
            onSubmit={() => void submit()}
          />
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
