/**
 * The deposit form at one locker: waybill, recipient phone → the recipient's delivery
 * preference and address alias before anything opens (door and hall: no deposit; ask
 * first: 先问一下, answered live), size → the result follows the real state (DepositResult).
 */
import { Button, Form, Input, NavBar, NoticeBar, Selector, Tag } from 'antd-mobile';
import { useState } from 'react';
import { normalizePhone } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import {
  type CourierParcel,
  type Deposit,
  type DirectoryLocker,
  type RecipientPreference,
  SIZE_LABEL,
  SIZES,
} from '../../../shared/types.ts';
import { api } from '../api.ts';
import { AskFirst, type ConsentAsk } from './AskFirst.tsx';
import { DepositResult } from './DepositResult.tsx';

const MODE_TEXT: Record<
  RecipientPreference['mode'],
  { text: string; color: 'success' | 'warning' | 'danger' | 'default' }
> = {
  locker: { text: '收件人同意放智能柜', color: 'success' },
  ask_first: { text: '收件人要求先征得同意', color: 'warning' },
  door: { text: '收件人要求送货上门', color: 'danger' },
  hall: { text: '收件人要求放服务馆', color: 'warning' },
  unknown: { text: '收件人未注册，请电话确认', color: 'default' },
};

/** Waybill, recipient phone (and their preference), size → open a compartment. */
export function DepositForm({ locker, onBack }: { locker: DirectoryLocker; onBack(): void }) {
  const { t } = useT();
  const [waybill, setWaybill] = useState('');
  const [phone, setPhone] = useState('');
  const [pref, setPref] = useState<RecipientPreference | null>(null);
  const [size, setSize] = useState<string>(SIZES.find((s) => locker.free[s] > 0) ?? 'S');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<CourierParcel | null>(null);
  const [consent, setConsent] = useState<ConsentAsk | null>(null);
  // The server enforces the preference on every path (delivery-rule.ts); the app says so before the courier tries.
  const blocked =
    pref?.mode === 'door' ||
    pref?.mode === 'hall' ||
    (pref?.mode === 'ask_first' && consent?.status !== 'accepted');

  const checkPhone = async (): Promise<string | null> => {
    if (!phone.trim()) {
      setError(t('请输入收件人手机号'));
      return null;
    }
    const p = normalizePhone(phone);
    if (!p) {
      setError(t('请输入正确的手机号'));
      return null;
    }
    try {
      setPref(
        await api.post<RecipientPreference>('/couriers/recipient-preference', {
          recipientPhone: p,
        }),
      );
    } catch (e) {
      setError((e as Error).message);
      return null;
    }
    return p;
  };

  const submit = async () => {
    setError(null);
    if (!/^[A-Za-z0-9-]{4,40}$/.test(waybill.trim()))
      return setError(t('运单号为 4–40 位字母或数字'));
    const p = await checkPhone();
    if (!p) return;
    setBusy(true);
    try {
      const d = await api.post<Deposit>(`/lockers/${locker.id}/deposits`, {
        waybill: waybill.trim(),
        recipientPhone: p,
        size,
      });
      // Not "opened" yet: the result card says what the locker really does, live.
      setDone({
        parcelId: d.parcelId,
        lockerId: d.lockerId,
        compartment: d.compartment,
        status: d.status,
        kind: 'delivery',
        size,
        waybill: waybill.trim(),
        recipientPhone: null,
        createdAt: '',
        storedAt: null,
        placeName: locker.place,
        outcome: 'opening',
      });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    setDone(null);
    setWaybill('');
    setPhone('');
    setPref(null);
    setConsent(null);
  };

  return (
    <>
      <NavBar onBack={onBack}>{locker.place}</NavBar>
      <NoticeBar
        content={
          locker.presence === 'offline' ? t('这个柜子离线，暂时不能开柜投递') : locker.address
        }
        color={locker.presence === 'offline' ? 'alert' : 'info'}
      />
      {done ? (
        <DepositResult key={done.parcelId} first={done} onNext={next} />
      ) : (
        <Form
          layout="vertical"
          footer={
            <Button
              block
              color="primary"
              size="large"
              loading={busy}
              disabled={blocked}
              onClick={() => void submit()}
            >
              {t('开柜投递')}
            </Button>
          }
        >
          <Form.Item label={t('运单号')}>
            <Input
              aria-label={t('运单号')}
              placeholder={t('扫描或输入运单号')}
              value={waybill}
              onChange={setWaybill}
              clearable
            />
          </Form.Item>
          <Form.Item
            label={t('收件人手机号')}
            extra={
              <Button size="small" onClick={() => void checkPhone()}>
                {t('查询')}
              </Button>
            }
          >
            <Input
              aria-label={t('收件人手机号')}
              type="tel"
              placeholder={t('请输入手机号')}
              value={phone}
              onChange={(v) => {
                setPhone(v);
                setPref(null);
                setConsent(null);
              }}
              onBlur={() => phone.trim() && void checkPhone()}
              clearable
            />
          </Form.Item>
          {pref && (
            <Form.Item label={t('收件人偏好')}>
              <div data-testid="preference">
                <Tag color={MODE_TEXT[pref.mode].color}>{t(MODE_TEXT[pref.mode].text)}</Tag>
                {pref.alias && (
                  <div style={{ marginTop: 6 }}>
                    {t('地址别名')}：{pref.alias}
                  </div>
                )}
                {pref.mode === 'door' && (
                  <div style={{ marginTop: 6, color: '#cf1322' }}>{t('请送货上门，不能投柜')}</div>
                )}
                {pref.mode === 'hall' && (
                  <div style={{ marginTop: 6, color: '#ad6800' }}>
                    {t('请送到社区服务馆，不能投柜')}
                  </div>
                )}
                {pref.mode === 'ask_first' && pref.hasAccount && normalizePhone(phone) && (
                  <AskFirst
                    lockerId={locker.id}
                    waybill={waybill}
                    phone={normalizePhone(phone)!}
                    onAnswer={setConsent}
                    onError={setError}
                  />
                )}
              </div>
            </Form.Item>
          )}
          <Form.Item label={t('格口大小')}>
            <Selector
              columns={4}
              value={[size]}
              onChange={(v) => v[0] && setSize(v[0])}
              options={SIZES.map((s) => ({
                label: `${t(SIZE_LABEL[s]!)} ${locker.free[s]}`,
                value: s,
                disabled: locker.free[s] === 0,
              }))}
            />
          </Form.Item>
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
        </Form>
      )}
    </>
  );
}
