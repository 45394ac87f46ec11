/**
 * Sign in at a locker's touchscreen (ADR 0018): scan the QR the screen shows (or paste
 * the text under it); the screen then takes deposits for this courier for 10 minutes —
 * waybill, recipient phone and size typed or scanned there, nothing typed on the phone.
 */
import { ApiError } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { QrScanPopup, type ScanOutcome } from '../../../shared/LazyQrScanPopup.tsx';
import { api } from '../api.ts';

interface ScreenSession {
  lockerId: string;
  lockerName: string;
  courier: string;
  expiresAt: string;
}

export function ScreenSignIn({ visible, onClose }: { visible: boolean; onClose(): void }) {
  const { t } = useT();
  const signIn = async (qr: string): Promise<ScanOutcome> => {
    try {
      const s = await api.post<ScreenSession>('/courier/screen-sessions', { qr });
      const until = new Date(s.expiresAt).toLocaleTimeString('zh-CN', {
        hour: '2-digit',
        minute: '2-digit',
      });
      return {
        ok: true,
        text: t('已登录 {{locker}} 的屏幕，请在柜机上投递（{{until}} 前有效）', {
          locker: s.lockerName,
          until,
        }),
      };
    } catch (e) {
      const err = e as ApiError;
      return {
        ok: false,
        text:
          err.code === 'validation_failed' || err.code === 'bad_request'
            ? t('二维码无效或已过期，请重新扫描柜机屏幕')
            : err.message,
      };
    }
  };
  return (
    <QrScanPopup
      visible={visible}
      onClose={onClose}
      onCode={signIn}
      title={t('扫码登录柜机屏幕')}
      hint={t('在柜机屏幕上点“快递员投递”，扫描屏幕上的二维码，即可在柜机上输入运单号投递')}
      action={t('登录柜机')}
    />
  );
}
