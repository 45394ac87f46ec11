/**
 * The overdue fee of a parcel past its free storage (ADR 0028): what it owes and a "pay"
 * button; once paid (or waived by staff) the parcel opens again. A parcel the locker let
 * out while offline still shows what it owes.
 */
import { Button, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import { yuan } from '../../../shared/ledger.ts';
import type { ParcelFee as Fee, ParcelFeePayment } from '../../../shared/types.ts';
import { api } from '../api.ts';

/** The fee line of one parcel; renders nothing while nothing is owed or settled. */
export function ParcelFee({ parcelId, onPaid }: { parcelId: string; onPaid?: () => void }) {
  const { t } = useT();
  const [fee, setFee] = useState<Fee | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(
    () => api.get<Fee>(`/me/parcels/${parcelId}/fee`).then(setFee, () => setFee(null)),
    [parcelId],
  );
  useEffect(() => void load(), [load]);
  if (!fee || fee.status === 'none') return null;
  if (fee.status !== 'owing')
    return (
      <div data-testid="parcel-fee" style={{ color: '#0a7a5a', fontSize: 13 }}>
        {fee.status === 'paid' ? t('超时保管费已缴') : t('超时保管费已减免')}{' '}
        {yuan(fee.settledFen ?? 0)}
      </div>
    );
  const pay = async () => {
    setBusy(true);
    try {
      const r = await api.post<ParcelFeePayment>(`/me/parcels/${parcelId}/fee/payments`);
      setFee(r.fee);
      Toast.show({
        icon: r.status === 'paid' ? 'success' : 'fail',
        content: r.status === 'paid' ? t('已缴费，可以取件了') : t('支付未完成，请重试'),
      });
      if (r.status === 'paid') onPaid?.();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      data-testid="parcel-fee"
      style={{ display: 'flex', alignItems: 'center', gap: 8, marginTop: 8 }}
    >
      <span style={{ flex: 1, color: '#cf1322' }}>
        {t('超时保管费')} {yuan(fee.owedFen)}
      </span>
      <Button size="small" color="danger" loading={busy} onClick={() => void pay()}>
        {t('缴费 {{amount}}', { amount: yuan(fee.owedFen) })}
      </Button>
    </div>
  );
}
