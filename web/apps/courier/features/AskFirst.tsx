/**
 * 先问一下: the recipient wants to be asked before a locker delivery (ADR 0009). The
 * courier sends a consent request for this waybill at this locker; the answer arrives
 * live (a `consent` frame on the stream, then a refetch) and unlocks 开柜投递.
 */
import { Button, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import { useLive } from '../../../shared/live.ts';
import { api } from '../api.ts';

/** A consent request as its courier sees it. */
export interface ConsentAsk {
  id: string;
  status: 'pending' | 'accepted' | 'declined' | 'expired';
  waybillTail: string;
  expiresAt: string;
}

const STATUS: Record<
  ConsentAsk['status'],
  { text: string; color: 'warning' | 'success' | 'danger' | 'default' }
> = {
  pending: { text: '已发送，等待收件人答复…', color: 'warning' },
  accepted: { text: '收件人已同意投柜', color: 'success' },
  declined: { text: '收件人不同意投柜，请送货上门或电话联系', color: 'danger' },
  expired: { text: '请求已过期，请重新询问', color: 'default' },
};

/** The 先问一下 button and the answer, live. `onAnswer` gets every status change. */
export function AskFirst({
  lockerId,
  waybill,
  phone,
  onAnswer,
  onError,
}: {
  lockerId: string;
  waybill: string;
  phone: string;
  onAnswer(a: ConsentAsk | null): void;
  onError(message: string): void;
}) {
  const { t } = useT();
  const [ask, setAsk] = useState<ConsentAsk | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (a: ConsentAsk | null) => {
    setAsk(a);
    onAnswer(a);
  };
  useLive(api, ask !== null && ask.status === 'pending', (f) => {
    if (!ask || !(f.type === 'ready' || (f.type === 'consent' && f.requestId === ask.id))) return;
    void api
      .get<ConsentAsk>(`/couriers/consent-requests/${ask.id}`)
      .then(update)
      .catch(() => {});
  });
  const send = async () => {
    if (!/^[A-Za-z0-9-]{4,40}$/.test(waybill.trim()))
      return onError(t('运单号为 4–40 位字母或数字'));
    setBusy(true);
    try {
      update(
        await api.post<ConsentAsk>('/couriers/consent-requests', {
          recipientPhone: phone,
          lockerId,
          waybill: waybill.trim(),
        }),
      );
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="ask-first" style={{ marginTop: 6 }}>
      {ask && (
        <Tag color={STATUS[ask.status].color} data-testid="consent-status" data-status={ask.status}>
          {t(STATUS[ask.status].text)}
        </Tag>
      )}
      {(!ask || ask.status === 'expired' || ask.status === 'declined') && (
        <div style={{ marginTop: 6 }}>
          <Button size="small" color="warning" loading={busy} onClick={() => void send()}>
            {t('先问一下')}
          </Button>
          <div style={{ color: '#666', fontSize: 14, marginTop: 4 }}>
            {t('收件人会在蚁巢 App 里收到请求，同意后才能开柜投递')}
          </div>
        </div>
      )}
    </div>
  );
}
