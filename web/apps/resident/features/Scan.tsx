/**
 * Pickup by scanning the locker screen's QR code: the camera reads it where the browser
 * has a barcode detector; otherwise (or if the camera is refused) the resident pastes or
 * types the text under the QR. The server opens every parcel of mine at that locker.
 */
import { Button, Input, Popup, Result } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { useQrCamera } from '../../../shared/qr-camera.ts';
import { api } from '../api.ts';

interface ScanResult {
  opened: { parcelId: string; compartment: number }[];
}

export function ScanPickup({ visible, onClose, onOpened }: { visible: boolean; onClose(): void; onOpened(): void }) {
  const { t } = useT();
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (qr: string) => {
    if (!qr.trim()) return setResult({ ok: false, text: t('请扫描或输入柜机屏幕上的二维码内容') });
    setBusy(true);
    try {
      const r = await api.post<ScanResult>('/me/pickups/scan', { qr: qr.trim() });
      if (r.opened.length === 0) setResult({ ok: false, text: t('这个柜里没有您的快递') });
      else setResult({ ok: true, text: t('已打开 {{list}} 号格口，取件后请关门', { list: r.opened.map((o) => o.compartment).join('、') }) });
      onOpened();
    } catch (e) {
      const err = e as ApiError;
      setResult({ ok: false, text: err.code === 'not_found' || err.code === 'validation_failed' || err.code === 'bad_request' ? t('二维码无效或已过期，请重新扫描柜机屏幕') : err.message });
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
      <h2 style={{ fontSize: 18, marginTop: 0 }}>{t('扫码取件')}</h2>
      <p style={{ color: '#666', marginTop: 0 }}>{t('对准柜机屏幕上的二维码，您在这个柜的快递会一起打开')}</p>
      <video ref={video} muted playsInline style={{ width: '100%', maxHeight: 220, background: '#000', borderRadius: 8 }} />
      <Input aria-label={t('二维码内容')} placeholder={t('无法扫码？粘贴屏幕二维码下方的内容')} value={text} onChange={setText} style={{ margin: '12px 0', '--font-size': '15px' }} />
      {result && (
        <div role="alert"><Result status={result.ok ? 'success' : 'error'} title={result.text} /></div>
      )}
      <Button block color="primary" loading={busy} onClick={() => void submit(text)}>{t('确认取件')}</Button>
      <Button block fill="none" style={{ marginTop: 8 }} onClick={onClose}>{t('关闭')}</Button>
    </Popup>
  );
}
