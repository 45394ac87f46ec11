/**
 * The locker touchscreen (1080×1920 portrait, also fine on a small landscape panel):
 * keypad pickup with big high-contrast feedback, a QR for pickup from the resident app,
 * and the courier's deposit entry. Everything it calls is the agent's local API, so a
 * valid code still opens a door while the cloud is down (offline verifiers, ADR 0012).
 */
import { Button } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../../shared/i18n.ts';
import { LangSwitch } from '../../shared/LangSwitch.tsx';
import { Qr } from '../../shared/qr.tsx';
import * as screen from './screen-api.ts';

const LEN = 8;
const RESET_MS = 15_000;
type Feedback = { text: string; tone: 'ok' | 'bad' | 'busy' };

const DENIED: Record<string, string> = { wrong_code: '取件码不正确', throttled: '尝试过多，请稍后再试', no_free_compartment: '暂无空闲格口', not_allowed: '无法办理，请使用快递员 App 投递' };

export function App() {
  const { t } = useT();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [fb, setFb] = useState<Feedback | null>(null);
  const [st, setSt] = useState<{ lockerId: string; online: boolean } | null>(null);
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
      screen.status().then(setSt).catch(() => setSt((s) => (s ? { ...s, online: false } : s)));
      // The agent serves /api/qr from screenQrPayload() (a new QR every 30 s window; none until the first sync brought the key).
      screen.qr().then((q) => setQr(q?.text ?? null)).catch(() => setQr(null));
    };
    poll();
    const id = window.setInterval(poll, 5000);
    return () => window.clearInterval(id);
  }, []);

  const describe = (r: screen.ScreenReply | screen.RequestState): Feedback => {
    const kind = 'result' in r ? r.result : r.state;
    const n = 'compartment' in r ? r.compartment : 0;
    switch (kind) {
      case 'opened':
        return { text: t('{{n}} 号格口已打开，取件后请关门', { n }), tone: 'ok' };
      case 'already_open':
        return { text: t('{{n}} 号格口门未关，请直接取件', { n }), tone: 'ok' };
      case 'door_jammed':
        return { text: t('{{n}} 号格口门未弹开，请轻拉柜门或联系服务馆', { n }), tone: 'bad' };
      case 'unknown_outcome':
        return { text: t('{{n}} 号格口状态未知，请查看柜门', { n }), tone: 'bad' };
      case 'wrong_code':
        return { text: 'attemptsLeft' in r ? t('取件码不正确，还可尝试 {{n}} 次', { n: r.attemptsLeft }) : t('取件码不正确'), tone: 'bad' };
      case 'locked':
        return { text: t('错误次数过多，请 {{n}} 秒后再试', { n: 'retryAfterSeconds' in r ? r.retryAfterSeconds : 60 }), tone: 'bad' };
      case 'invalid':
        return { text: t('请输入完整的 8 位数字取件码'), tone: 'bad' };
      case 'denied':
        return { text: t(DENIED['outcome' in r ? r.outcome : ''] ?? '无法办理'), tone: 'bad' };
      case 'expired':
        return { text: t('网络繁忙，请重试'), tone: 'bad' };
      default:
        return { text: t('暂时无法服务，请稍后再试或联系服务馆'), tone: 'bad' };
    }
  };

  const submit = async () => {
    if (busy) return;
    if (code.length !== LEN) return show({ text: t('请输入完整的 8 位数字取件码'), tone: 'bad' });
    setBusy(true);
    show({ text: t('正在验证，请稍候…'), tone: 'busy' });
    try {
      show(describe(await screen.enterCode(code)));
    } catch {
      show({ text: t('暂时无法服务，请稍后再试或联系服务馆'), tone: 'bad' });
    }
    setCode('');
    setBusy(false);
  };

  const deposit = async () => {
    if (busy) return;
    setBusy(true);
    show({ text: t('正在为您分配格口…'), tone: 'busy' });
    try {
      show(describe(await screen.requestDeposit()));
    } catch {
      show({ text: t('暂时无法服务，请稍后再试或联系服务馆'), tone: 'bad' });
    }
    setBusy(false);
  };

  const press = (d: string) => !busy && setCode((c) => (c.length < LEN ? c + d : c));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (/^[0-9]$/.test(e.key)) press(e.key);
      else if (e.key === 'Backspace') setCode((c) => c.slice(0, -1));
      else if (e.key === 'Enter') void submit();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const color = fb?.tone === 'ok' ? '#3ddc84' : fb?.tone === 'bad' ? '#ff8a8a' : '#fff';
  const big = 'clamp(28px, 5vh, 88px)';
  return (
    <main style={{ color: '#fff', display: 'flex', flexDirection: 'column', height: '100vh', overflow: 'hidden', maxWidth: 1080, margin: '0 auto', padding: '3vh 5vw', boxSizing: 'border-box', gap: '1.8vh' }}>
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', fontSize: 'clamp(18px, 2.6vh, 40px)' }}>
        <span>{t('蚁巢智能柜')} {st ? `· ${st.lockerId}` : ''}</span>
        <span style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
          <span role="status" data-testid="net" style={{ padding: '.2em .8em', borderRadius: '1em', background: st?.online ? '#173d34' : '#7a4f00' }}>{st?.online ? t('在线') : t('离线（可用取件码取件）')}</span>
          <LangSwitch dark />
        </span>
      </header>
      {courier ? (
        <section aria-label={t('快递员投递')} style={{ flex: 1, display: 'flex', flexDirection: 'column', gap: '3vh', fontSize: 'clamp(22px, 3.4vh, 52px)' }}>
          <h1 style={{ margin: 0, fontSize: big }}>{t('快递员投递')}</h1>
          <p style={{ margin: 0 }}>{t('请用“蚁巢快递员”App 登录，选择本柜投递：')}</p>
          <p style={{ margin: 0, fontSize: big, fontWeight: 700, color: '#ffb800' }}>{st?.lockerId ?? '—'}</p>
          <p style={{ margin: 0 }}>{t('App 中选择格口大小并确认后，柜门会自动打开。')}</p>
          <Button block style={{ '--background-color': '#ffb800', '--text-color': '#0b1f1a', fontSize: big, minHeight: '10vh' }} onClick={() => void deposit()} disabled={busy}>{t('本机投递')}</Button>
          <Feedback fb={fb} color={color} />
          <Button block style={{ fontSize: 'clamp(22px,3.4vh,56px)', minHeight: '8vh', '--background-color': '#173d34', '--text-color': '#fff' }} onClick={() => { setCourier(false); setFb(null); }}>{t('返回取件')}</Button>
        </section>
      ) : (
        <>
          <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 24 }}>
            <h1 style={{ margin: 0, fontSize: big }}>{t('输入取件码')}</h1>
            {qr ? (
              <figure style={{ margin: 0, textAlign: 'center' }}>
                <Qr text={qr} size={160} label={t('用蚁巢 App 扫码取件')} />
                <figcaption style={{ fontSize: 'clamp(14px,1.8vh,28px)' }}>{t('App 扫码取件')}</figcaption>
              </figure>
            ) : null}
          </div>
          <div aria-label={t('已输入的取件码')} data-testid="code-boxes" style={{ display: 'grid', gridTemplateColumns: `repeat(${LEN}, 1fr)`, gap: '1.2vw' }}>
            {Array.from({ length: LEN }, (_, i) => (
              <span key={i} style={{ height: '8vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#173d34', borderRadius: '1.2vh', fontSize: big, border: `3px solid ${i === code.length ? '#ffb800' : 'transparent'}` }}>{code[i] ? '•' : ''}</span>
            ))}
          </div>
          <Feedback fb={fb ?? { text: t('请输入 8 位取件码'), tone: 'busy' }} color={color} />
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: '1.6vh 3vw', flex: 1, minHeight: 0 }}>
            {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
              <Key key={d} label={d} aria={t('数字 {{d}}', { d })} onPress={() => press(d)} />
            ))}
            <Key label={t('清空')} aria={t('清空')} ghost onPress={() => { setCode(''); setFb(null); }} />
            <Key label="0" aria={t('数字 {{d}}', { d: '0' })} onPress={() => press('0')} />
            <Key label="⌫" aria={t('删除一位')} ghost onPress={() => setCode((c) => c.slice(0, -1))} />
            <div style={{ gridColumn: 'span 3' }}>
              <Key label={t('确认取件')} aria={t('确认取件')} accent disabled={busy} onPress={() => void submit()} />
            </div>
          </div>
          <Button block style={{ fontSize: 'clamp(22px,3.4vh,56px)', minHeight: '7vh', flexShrink: 0, '--background-color': '#173d34', '--text-color': '#fff', '--border-color': '#3a6b5e' }} onClick={() => { setCourier(true); setFb(null); }}>{t('快递员投递')}</Button>
        </>
      )}
    </main>
  );
}

function Feedback({ fb, color }: { fb: Feedback | null; color: string }) {
  return (
    <div role="alert" aria-live="assertive" data-testid="feedback" data-tone={fb?.tone ?? ''} style={{ minHeight: '8vh', display: 'flex', alignItems: 'center', justifyContent: 'center', textAlign: 'center', fontSize: 'clamp(22px, 3.4vh, 52px)', color, fontWeight: 700 }}>
      {fb?.text ?? ''}
    </div>
  );
}

function Key({ label, aria, onPress, ghost, accent, disabled }: { label: string; aria: string; onPress(): void; ghost?: boolean; accent?: boolean; disabled?: boolean }) {
  return (
    <Button
      block
      aria-label={aria}
      disabled={disabled}
      onClick={onPress}
      style={{ minHeight: '7vh', height: '100%', borderRadius: '2vh', fontSize: ghost ? 'clamp(22px,3.4vh,56px)' : 'clamp(32px,5.4vh,96px)', '--background-color': accent ? '#ffb800' : ghost ? '#173d34' : '#f4f7f5', '--text-color': ghost ? '#fff' : '#0b1f1a', '--border-color': 'transparent' }}
    >
      {label}
    </Button>
  );
}
