/** Staff sign-in (username and password). */
import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import type { Session } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { LangSwitch } from '../../../shared/LangSwitch.tsx';
import { api, sessions } from '../api.ts';

export function Login() {
  const { t } = useT();
  const [error, setError] = useState<string | null>(
    sessions.endedReason === 'expired' ? t('登录已过期，请重新登录') : null,
  );
  const [busy, setBusy] = useState(false);
  const submit = async (v: { username?: string; password?: string }) => {
    setError(null);
    if (!v.username?.trim()) return setError(t('请输入账号'));
    if (!v.password) return setError(t('请输入密码'));
    setBusy(true);
    try {
      sessions.set(
        await api.post<Session>('/auth/login', {
          username: v.username.trim(),
          password: v.password,
        }),
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#eef3f1' }}
    >
      <Card title={t('蚁巢 · 管理后台')} extra={<LangSwitch />} style={{ width: 380 }}>
        <Form layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item label={t('账号')} name="username">
            <Input aria-label={t('账号')} autoComplete="username" placeholder="qsh.worker" />
          </Form.Item>
          <Form.Item label={t('密码')} name="password">
            <Input.Password aria-label={t('密码')} autoComplete="current-password" />
          </Form.Item>
          {error && (
            <Alert type="error" title={error} role="alert" style={{ marginBottom: 16 }} showIcon />
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('登录')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
