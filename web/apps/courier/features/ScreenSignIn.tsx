/**
 * Sign in at a locker's touchscreen (ADR 0018): scan the QR the screen shows (or paste
 * the text under it); the screen then takes deposits for this courier for 10 minutes —
 * waybill, recipient phone and size typed or scanned there, nothing typed on the phone.
 */
import { Button, Input, Popup, Result } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { useQrCamera } from '../../../shared/qr-camera.ts';
import { api } from '../api.ts';

interface ScreenSession {
  lockerId: string;
  lockerName: string;
  courier: string;
  expiresAt: string;
}

export function ScreenSignIn({ visible, onClose }: { visible: boolean; onClose(): void }) {
  const { t } = useT();
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (qr: string) => {
    if (!qr.trim()) return setResult({ ok: false, text: t('请扫描或输入柜机屏幕上的二维码内容') });
    setBusy(true);
    try {
      const s = await api.post<ScreenSession>('/courier/screen-sessions', { qr: qr.trim() });
      const until = new Date(s.expiresAt).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });
      setResult({ ok: true, text: t('已登录 {{locker}} 的屏幕，请在柜机上投递（{{until}} 前有效）', { locker: s.lockerName, until }) });
    } catch (e) {
      const err = e as ApiError;
      setResult({ ok: false, text: err.code === 'validation_failed' || err.code === 'bad_request' ? t('二维码无效或已过期，请重新扫描柜机屏幕') : err.message });
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (visible) setResult(null);
  }, [visible]);
  const video = useQrCamera(visible, (qr) => void submit(qr));

  return (
    <Popup visible={visible} onMaskClick={onClose} bodyStyle={{ padding: 16, borderTopLeftRadius: 12, borderTopRightRadius: 12 }}>
      <h2 style={{ fontSize: 18, marginTop: 0 }}>{t('扫码登录柜机屏幕')}</h2>
      <p style={{ color: '#666', marginTop: 0 }}>{t('在柜机屏幕上点“快递员投递”，扫描屏幕上的二维码，即可在柜机上输入运单号投递')}</p>
      <video ref={video} muted playsInline style={{ width: '100%', maxHeight: 220, background: '#000', borderRadius: 8 }} />
      <Input aria-label={t('二维码内容')} placeholder={t('无法扫码？粘贴屏幕二维码下方的内容')} value={text} onChange={setText} style={{ margin: '12px 0', '--font-size': '15px' }} />
      {result && (
        <div role="alert"><Result status={result.ok ? 'success' : 'error'} title={result.text} /></div>
      )}
      <Button block color="primary" loading={busy} onClick={() => void submit(text)}>{t('登录柜机')}</Button>
      <Button block fill="none" style={{ marginTop: 8 }} onClick={onClose}>{t('关闭')}</Button>
    </Popup>
  );
}
