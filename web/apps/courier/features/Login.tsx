/** Courier sign-in with the account the carrier was given (username and password). */
import { Button, Form, Input, NavBar } from 'antd-mobile';
import { useState } from 'react';
import type { Session } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { LangSwitch } from '../../../shared/LangSwitch.tsx';
import { api, sessions } from '../api.ts';

export function Login() {
  const { t } = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(
    sessions.endedReason === 'expired' ? t('登录已过期，请重新登录') : null,
  );
  const [busy, setBusy] = useState(false);
  const signIn = async () => {
    setError(null);
    if (!username.trim()) return setError(t('请输入账号'));
    if (!password) return setError(t('请输入密码'));
    setBusy(true);
    try {
      sessions.set(await api.post<Session>('/auth/login', { username: username.trim(), password }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ maxWidth: 560, margin: '0 auto', minHeight: '100vh', background: '#fff' }}>
      <NavBar back={null} right={<LangSwitch />}>
        {t('蚁巢 · 快递员登录')}
      </NavBar>
      <Form
        layout="vertical"
        footer={
          <Button block color="primary" size="large" loading={busy} onClick={() => void signIn()}>
            {t('登录')}
          </Button>
        }
      >
        <Form.Item label={t('账号')}>
          <Input
            aria-label={t('账号')}
            placeholder={t('例如 courier.sf')}
            value={username}
            onChange={setUsername}
            autoComplete="username"
            clearable
          />
        </Form.Item>
        <Form.Item label={t('密码')}>
          <Input
            aria-label={t('密码')}
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            onEnterPress={() => void signIn()}
          />
        </Form.Item>
      </Form>
      {error && (
        <div
          role="alert"
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
    </div>
  );
}
