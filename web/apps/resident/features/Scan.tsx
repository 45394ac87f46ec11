/**
 * Pickup by scanning the locker screen's QR code (or pasting the text under it): the
 * server opens every parcel of mine at that locker.
 */
import { ApiError } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { QrScanPopup, type ScanOutcome } from '../../../shared/LazyQrScanPopup.tsx';
import { api } from '../api.ts';

interface ScanResult {
  opened: { parcelId: string; compartment: number }[];
}

export function ScanPickup({
  visible,
  onClose,
  onOpened,
}: {
  visible: boolean;
  onClose(): void;
  onOpened(): void;
}) {
  const { t } = useT();
  const pickup = async (qr: string): Promise<ScanOutcome> => {
    try {
      const r = await api.post<ScanResult>('/me/pickups/scan', { qr });
      onOpened();
      if (r.opened.length === 0) return { ok: false, text: t('这个柜里没有您的快递') };
      return {
        ok: true,
        text: t('已打开 {{list}} 号格口，取件后请关门', {
          list: r.opened.map((o) => o.compartment).join('、'),
        }),
      };
    } catch (e) {
      const err = e as ApiError;
      return {
        ok: false,
        text:
          err.code === 'not_found' || err.code === 'validation_failed' || err.code === 'bad_request'
            ? t('二维码无效或已过期，请重新扫描柜机屏幕')
            : err.message,
      };
    }
  };
  return (
    <QrScanPopup
      visible={visible}
      onClose={onClose}
      onCode={pickup}
      title={t('扫码取件')}
      hint={t('对准柜机屏幕上的二维码，您在这个柜的快递会一起打开')}
      action={t('确认取件')}
    />
  );
}
