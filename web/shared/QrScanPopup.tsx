/**
 * A bottom sheet that reads the locker screen's QR code: the camera where the browser has
 * a barcode detector, otherwise (or if the camera is refused) the text under the QR pasted
 * or typed. `onCode` does the work and says what to show.
 */
import { Button, Input, Popup, Result } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useT } from './i18n.ts';
import { useQrCamera } from './qr-camera.ts';

export interface ScanOutcome {
  ok: boolean;
  text: string;
}

export function QrScanPopup({
  visible,
  title,
  hint,
  action,
  onCode,
  onClose,
}: {
  visible: boolean;
  title: string;
  hint: string;
  action: string;
  onCode(qr: string): Promise<ScanOutcome>;
  onClose(): void;
}) {
  const { t } = useT();
  const [text, setText] = useState('');
  const [result, setResult] = useState<ScanOutcome | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (qr: string) => {
    if (!qr.trim()) return setResult({ ok: false, text: t('请扫描或输入柜机屏幕上的二维码内容') });
    setBusy(true);
    try {
      setResult(await onCode(qr.trim()));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (visible) setResult(null);
  }, [visible]);
  const video = useQrCamera(visible, (qr) => void submit(qr));

  return (
    <Popup
      visible={visible}
      onMaskClick={onClose}
      bodyStyle={{
        padding: 16,
        boxSizing: 'border-box',
        borderTopLeftRadius: 12,
        borderTopRightRadius: 12,
      }}
    >
      <h2 style={{ fontSize: 18, marginTop: 0 }}>{title}</h2>
      <p style={{ color: '#666', marginTop: 0 }}>{hint}</p>
      <video
        ref={video}
        muted
        playsInline
        style={{ width: '100%', maxHeight: 220, background: '#000', borderRadius: 8 }}
      />
      <Input
        aria-label={t('二维码内容')}
        placeholder={t('无法扫码？粘贴屏幕二维码下方的内容')}
        value={text}
        onChange={setText}
        style={{ margin: '12px 0', '--font-size': '15px' }}
      />
      {result && (
        <div role="alert">
          <Result status={result.ok ? 'success' : 'error'} title={result.text} />
        </div>
      )}
      <Button block color="primary" loading={busy} onClick={() => void submit(text)}>
        {action}
      </Button>
      <Button block fill="none" style={{ marginTop: 8 }} onClick={onClose}>
        {t('关闭')}
      </Button>
    </Popup>
  );
}
