/**
 * The courier's side of the locker screen (ADR 0018). Signed out: the screen's QR, big,
 * for the courier app's "扫柜屏" (online only: signing in needs the cloud).
 * Signed in: waybill (typed, or from a barcode scanner, which types and presses Enter),
 * the recipient's phone and a size; the cloud applies the recipient's preference,
 * allocates the smallest free compartment that fits and opens it.
 */
import { Button, Input, type InputRef } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../../shared/i18n.ts';
import { Qr } from '../../shared/qr.tsx';
import { type Feedback, FeedbackLine, useDescribe } from './feedback.tsx';
import * as screen from './screen-api.ts';

const SIZES = ['S', 'M', 'L', 'XL'] as const;
const SIZE_TEXT: Record<(typeof SIZES)[number], string> = {
  S: '小格',
  M: '中格',
  L: '大格',
  XL: '超大格',
};
const big = 'clamp(28px, 5vh, 88px)';
const mid = 'clamp(22px, 3.4vh, 52px)';
const field = {
  '--font-size': mid,
  '--color': '#0b1f1a',
  background: '#fff',
  borderRadius: 12,
  padding: '1vh 2vw',
  boxSizing: 'border-box',
  width: '100%',
} as const;

export function CourierPanel({
  qr,
  online,
  onBack,
}: {
  qr: string | null;
  online: boolean;
  onBack(): void;
}) {
  const { t } = useT();
  const describe = useDescribe();
  const [who, setWho] = useState<screen.ScreenCourier>({ courier: null });
  const [waybill, setWaybill] = useState('');
  const [phone, setPhone] = useState('');
  const [size, setSize] = useState<(typeof SIZES)[number]>('S');
  const [busy, setBusy] = useState(false);
  const [fb, setFb] = useState<Feedback | null>(null);
  const phoneField = useRef<InputRef>(null);

  const refresh = useCallback(
    () =>
      screen
        .courier()
        .then(setWho)
        .catch(() => undefined),
    [],
  );
  useEffect(() => {
    void refresh();
    const id = window.setInterval(() => void refresh(), 1500);
    return () => window.clearInterval(id);
  }, [refresh]);

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setFb({ text: t('正在为您分配格口…'), tone: 'busy' });
    try {
      const r = await screen.requestDeposit({
        waybill: waybill.trim(),
        recipientPhone: phone,
        size,
      });
      const f = describe(r, '{{n}} 号格口已打开，放入快递后请关门');
      setFb(f);
      if (f.tone === 'ok') {
        setWaybill('');
        setPhone('');
      }
      // The sign-in ended (here or in the cloud): show the QR again.
      if (
        ('result' in r && r.result === 'signed_out') ||
        ('state' in r && r.state === 'denied' && r.outcome === 'session_expired')
      )
        void refresh();
    } catch {
      setFb({ text: t('暂时无法服务，请稍后再试或联系服务馆'), tone: 'bad' });
    }
    setBusy(false);
  };

  const back = (
    <Button
      block
      style={{
        fontSize: mid,
        minHeight: '7vh',
        '--background-color': '#173d34',
        '--text-color': '#fff',
        '--border-color': '#3a6b5e',
      }}
      onClick={onBack}
    >
      {t('返回取件')}
    </Button>
  );

  if (who.courier === null) {
    return (
      <section
        aria-label={t('快递员投递')}
        style={{
          flex: 1,
          display: 'flex',
          flexDirection: 'column',
          gap: '2.4vh',
          fontSize: mid,
          alignItems: 'center',
          textAlign: 'center',
        }}
      >
        <h1 style={{ margin: 0, fontSize: big }}>{t('快递员投递')}</h1>
        {online && (
          <p style={{ margin: 0 }}>{t('打开“蚁巢快递员”App，点“扫柜屏”扫描下方二维码登录')}</p>
        )}
        {qr ? (
          <figure
            data-testid="courier-qr"
            data-qr={qr}
            style={{
              margin: 0,
              display: 'flex',
              flexDirection: 'column',
              alignItems: 'center',
              gap: '1vh',
            }}
          >
            <Qr text={qr} size={320} label={t('快递员扫码登录')} />
            <figcaption style={{ fontSize: 'clamp(14px,1.8vh,28px)', opacity: 0.8 }}>
              {t('二维码每 30 秒更新')}
            </figcaption>
          </figure>
        ) : (
          <p role="status" style={{ margin: 0, color: '#ffb800' }}>
            {online ? t('正在准备二维码…') : t('柜机离线，暂不能投递')}
          </p>
        )}
        <div style={{ flex: 1 }} />
        {back}
      </section>
    );
  }

  return (
    <section
      aria-label={t('快递员投递')}
      style={{
        flex: 1,
        display: 'flex',
        flexDirection: 'column',
        gap: '1.4vh',
        fontSize: mid,
        minHeight: 0,
      }}
    >
      <h1 style={{ margin: 0, fontSize: mid }}>{t('快递员投递')}</h1>
      <p data-testid="courier" style={{ margin: 0, color: '#ffb800' }}>
        {t('已登录：{{who}}', { who: who.courier })}
      </p>
      <label style={{ display: 'flex', flexDirection: 'column', gap: '.6vh' }}>
        {t('运单号（可扫码）')}
        <Input
          aria-label={t('运单号')}
          autoFocus
          value={waybill}
          onChange={setWaybill}
          onEnterPress={() => phoneField.current?.focus()}
          style={field}
        />
      </label>
      <label style={{ display: 'flex', flexDirection: 'column', gap: '.6vh' }}>
        {t('收件人手机号')}
        <Input
          ref={phoneField}
          aria-label={t('收件人手机号')}
          type="tel"
          inputMode="numeric"
          maxLength={13}
          value={phone}
          onChange={setPhone}
          onEnterPress={() => void submit()}
          style={field}
        />
      </label>
      <div
        role="group"
        aria-label={t('格口大小')}
        style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: '1.2vw' }}
      >
        {SIZES.map((s) => (
          <Button
            key={s}
            aria-pressed={size === s}
            aria-label={t(SIZE_TEXT[s])}
            onClick={() => setSize(s)}
            style={{
              minHeight: '7vh',
              padding: 0,
              fontSize: 'clamp(18px, 2.8vh, 44px)',
              borderRadius: '1.6vh',
              '--background-color': size === s ? '#ffb800' : '#173d34',
              '--text-color': size === s ? '#0b1f1a' : '#fff',
              '--border-color': 'transparent',
            }}
          >
            {t(SIZE_TEXT[s])}
          </Button>
        ))}
      </div>
      <Button
        block
        disabled={busy || !online}
        onClick={() => void submit()}
        style={{
          '--background-color': '#ffb800',
          '--text-color': '#0b1f1a',
          '--border-color': 'transparent',
          borderRadius: '2vh',
          fontSize: big,
          minHeight: '8vh',
          flexShrink: 0,
        }}
      >
        {t('分配格口并开门')}
      </Button>
      <FeedbackLine fb={fb ?? (online ? null : { text: t('柜机离线，暂不能投递'), tone: 'bad' })} />
      <div style={{ flex: 1 }} />
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '3vw', flexShrink: 0 }}>
        <Button
          block
          style={{
            fontSize: mid,
            minHeight: '7vh',
            '--background-color': '#3a1f1f',
            '--text-color': '#fff',
            '--border-color': '#6b3a3a',
          }}
          onClick={() => void screen.signOut().then(refresh)}
        >
          {t('退出登录')}
        </Button>
        {back}
      </div>
    </section>
  );
}
