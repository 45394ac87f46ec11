/**
 * The user agreement and privacy notice (PIPL): links to the pages the server serves,
 * the consent line on the sign-in screen, and a gate shown after sign-in when the
 * account has not accepted the versions in force (a text changed, or recording failed).
 */
import { Button, Checkbox, Result } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { newKey } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { api } from '../api.ts';

export interface CurrentAgreement {
  document: 'terms' | 'privacy';
  version: string;
  title: string;
  url: string;
}

/** The versions in force (public; fetched once per screen). */
export function useAgreements(): CurrentAgreement[] | null {
  const { lang } = useT();
  const [docs, setDocs] = useState<CurrentAgreement[] | null>(null);
  useEffect(() => {
    fetch(`/api/v1/agreements?lang=${lang}`)
      .then((r) => (r.ok ? (r.json() as Promise<CurrentAgreement[]>) : null))
      .then(setDocs)
      .catch(() => setDocs(null));
  }, [lang]);
  return docs;
}

/** Record acceptance for a session (`token` right after sign-in, before the app takes over). */
export async function acceptAgreements(
  docs: CurrentAgreement[],
  lang: string,
  token?: string,
): Promise<boolean> {
  const body = { accepted: docs.map((d) => ({ document: d.document, version: d.version })), lang };
  if (!token)
    return api.post('/me/agreements', body).then(
      () => true,
      () => false,
    );
  const r = await fetch('/api/v1/me/agreements', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': newKey(),
    },
    body: JSON.stringify(body),
  }).catch(() => null);
  return !!r?.ok;
}

/** "I have read and agree to 《用户服务协议》 and 《隐私政策》", with the pages one tap away. */
export function AgreementConsent({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange(v: boolean): void;
}) {
  const { t, lang } = useT();
  const q = lang === 'en' ? '?lang=en' : '';
  return (
    <div
      style={{
        display: 'flex',
        alignItems: 'flex-start',
        gap: 8,
        padding: '8px 16px',
        fontSize: 15,
        lineHeight: 1.6,
      }}
    >
      <Checkbox
        aria-label={t('同意用户服务协议和隐私政策')}
        data-testid="agree"
        checked={checked}
        onChange={onChange}
        style={{ '--icon-size': '22px', marginTop: 2 }}
      />
      <span>
        {t('我已阅读并同意')}{' '}
        <a href={`/legal/terms${q}`} target="_blank" rel="noreferrer">
          {t('《用户服务协议》')}
        </a>{' '}
        {t('和')}{' '}
        <a href={`/legal/privacy${q}`} target="_blank" rel="noreferrer">
          {t('《隐私政策》')}
        </a>
      </span>
    </div>
  );
}

/** Shown instead of the app until the current versions are accepted. */
export function AgreementGate({
  onAccepted,
  onDecline,
}: {
  onAccepted(): void;
  onDecline(): void;
}) {
  const { t, lang } = useT();
  const docs = useAgreements();
  const [agreed, setAgreed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const accept = async () => {
    if (!agreed) return setError(t('请先阅读并勾选同意'));
    if (docs && (await acceptAgreements(docs, lang))) onAccepted();
    else setError(t('没有保存成功，请检查网络后重试'));
  };
  return (
    <div
      style={{
        maxWidth: 560,
        margin: '0 auto',
        minHeight: '100vh',
        background: '#fff',
        padding: '24px 0',
      }}
    >
      <Result
        status="info"
        title={t('用户服务协议和隐私政策有更新')}
        description={t('请阅读后确认，才能继续使用')}
      />
      <AgreementConsent checked={agreed} onChange={setAgreed} />
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: '4px 16px' }}>
          {error}
        </div>
      )}
      <div style={{ padding: 16, display: 'grid', gap: 12 }}>
        <Button block color="primary" size="large" onClick={() => void accept()}>
          {t('同意并继续')}
        </Button>
        <Button block fill="none" onClick={onDecline}>
          {t('不同意，退出登录')}
        </Button>
      </div>
    </div>
  );
}
