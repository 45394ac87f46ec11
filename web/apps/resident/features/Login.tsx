/**
 * Phone + SMS code sign-in. Every mistake gets a clear message in the form, never a blank
 * page. The user agreement and privacy notice are one tap away and must be accepted
 * before a code is sent; the acceptance is recorded with its version as the session opens.
 * Elder mode can be switched on here already.
 */
import { Button, Form, Input, NavBar, Switch, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { ApiError, type Session } from '../../../shared/api.ts';
import { normalizePhone } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { LangSwitch } from '../../../shared/LangSwitch.tsx';
import { api, sessions } from '../api.ts';
import { saveElderForNewSession, setElder, useElder } from '../elder.ts';
import { acceptAgreements, AgreementConsent, useAgreements } from './Agreement.tsx';

export function Login() {
  const { t, lang } = useT();
  const docs = useAgreements();
  const elder = useElder();
  const [agreed, setAgreed] = useState(false);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(
    sessions.endedReason === 'expired' ? t('登录已过期，请重新登录') : null,
  );
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  const [demoCode, setDemoCode] = useState<string | null>(null);

  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(id);
  }, [wait]);

  const sendCode = async () => {
    setError(null);
    if (!phone.trim()) return setError(t('请输入手机号'));
    const p = normalizePhone(phone);
    if (!p) return setError(t('请输入正确的手机号'));
    if (!agreed) return setError(t('请先阅读并同意用户服务协议和隐私政策'));
    setBusy(true);
    try {
      const r = await api.post<{ resendAfterSeconds: number }>('/auth/otp', { phone: p });
      setSentTo(p);
      setWait(r.resendAfterSeconds);
      Toast.show({ content: t('验证码已发送') });
      // Demo mode only: the local SMS inbox lets a newcomer sign in without a phone.
      const inbox = await fetch(`/api/v1/dev/sms?phone=${p}`)
        .then((x) => (x.ok ? (x.json() as Promise<{ text: string }[]>) : []))
        .catch(() => []);
      setDemoCode(inbox[0]?.text.match(/\d{6}/)?.[0] ?? null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const signIn = async () => {
    setError(null);
    if (!sentTo) return setError(t('请先获取验证码'));
    if (!/^\d{6}$/.test(code)) return setError(t('请输入短信中的 6 位验证码'));
    setBusy(true);
    try {
      if (!agreed) return setError(t('请先阅读并同意用户服务协议和隐私政策'));
      const s = await api.post<Session>('/auth/otp/verify', { phone: sentTo, code });
      // Recorded before the app opens; if it fails, the app asks again (AgreementGate).
      if (docs) await acceptAgreements(docs, lang, s.accessToken);
      await saveElderForNewSession(s.accessToken);
      sessions.set(s);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('登录失败，请重试'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 560, margin: '0 auto', minHeight: '100vh', background: '#fff' }}>
      <NavBar back={null} right={<LangSwitch />}>
        {t('蚁巢 · 登录')}
      </NavBar>
      <div style={{ padding: '24px 16px 8px' }}>
        <h1 style={{ fontSize: 24, margin: '0 0 4px' }}>{t('快递到楼下，服务到身边')}</h1>
        <p style={{ color: '#666', margin: 0 }}>{t('用手机号登录，查看和领取您的快递')}</p>
      </div>
      <Form
        layout="vertical"
        footer={
          <Button block color="primary" size="large" loading={busy} onClick={() => void signIn()}>
            {t('登录')}
          </Button>
        }
      >
        <Form.Item
          label={t('手机号')}
          extra={
            <Button size="small" disabled={busy || wait > 0} onClick={() => void sendCode()}>
              {wait > 0 ? t('{{n}} 秒后可重发', { n: wait }) : t('获取验证码')}
            </Button>
          }
        >
          <Input
            aria-label={t('手机号')}
            placeholder={t('请输入手机号')}
            type="tel"
            inputMode="tel"
            value={phone}
            onChange={setPhone}
            clearable
          />
        </Form.Item>
        <Form.Item label={t('验证码')}>
          <Input
            aria-label={t('验证码')}
            placeholder={t('6 位数字')}
            inputMode="numeric"
            maxLength={6}
            value={code}
            onChange={setCode}
          />
        </Form.Item>
      </Form>
      <AgreementConsent checked={agreed} onChange={setAgreed} />
      {error && (
        <div
          role="alert"
          className="form-error"
          style={{
            margin: '0 16px',
            padding: '12px 16px',
            background: '#fff1f0',
            color: '#cf1322',
            borderRadius: 8,
            fontSize: 16,
          }}
        >
          {error}
        </div>
      )}
      <div
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          margin: '16px',
          padding: '8px 12px',
          background: '#f5f6f7',
          borderRadius: 8,
        }}
      >
        <span>{t('关怀模式（大字体）')}</span>
        <Switch
          aria-label={t('关怀模式')}
          checked={elder}
          onChange={(on) => void setElder(null, on)}
        />
      </div>
      {demoCode && (
        <p style={{ margin: 16, color: '#888', fontSize: 13 }}>
          {t('演示模式：短信验证码是')} <b data-testid="demo-code">{demoCode}</b>
        </p>
      )}
    </div>
  );
}
