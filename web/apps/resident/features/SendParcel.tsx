/**
 * Sending a parcel with a carrier (寄件, issue 20): the sender's and the recipient's
 * addresses, the weight band and the size, a quote from the carrier's tariff, payment, and
 * then the compartment opens for the parcel. "My sending orders" follows each order until
 * the courier collects it (or rejects it: refunded, and the compartment opens again for me).
 */
import { Button, Form, Input, List, Selector, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { normalizePhone, when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { yuan } from '../../../shared/ledger.ts';
import {
  type DirectoryLocker,
  type SendingOrder,
  type SendingQuote,
  type SendingTariffs,
  SIZE_LABEL,
} from '../../../shared/types.ts';
import { api } from '../api.ts';
import { LockerSelect } from './LockerSelect.tsx';

/** Order step → label (Chinese key; translated by i18n). */
export const SENDING_STATUS: Record<string, string> = {
  awaiting_payment: '待支付',
  payment_failed: '支付失败',
  awaiting_drop: '格口已开，请放入包裹',
  in_locker: '待快递员揽收',
  collected: '已揽收',
  cancelled: '已取消',
  refunded: '已退款',
};

const EMPTY_SENDER = { name: '', phone: '', address: '' };
const EMPTY_RECIPIENT = { name: '', phone: '', province: '', city: '', district: '', address: '' };

export function SendParcel({ lockers }: { lockers: DirectoryLocker[] }) {
  const { t } = useT();
  const [tariffs, setTariffs] = useState<SendingTariffs | null>(null);
  const [orders, setOrders] = useState<SendingOrder[]>([]);
  const [carrierId, setCarrierId] = useState<string | null>(null);
  const [band, setBand] = useState<string>('0-1kg');
  const [size, setSize] = useState<string>('S');
  const [lockerId, setLockerId] = useState<string | null>(null);
  const [sender, setSender] = useState(EMPTY_SENDER);
  const [recipient, setRecipient] = useState(EMPTY_RECIPIENT);
  const [quote, setQuote] = useState<SendingQuote | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadOrders = () =>
    api
      .get<SendingOrder[]>('/me/sending/orders')
      .then(setOrders)
      .catch(() => {});
  useEffect(() => {
    api
      .get<SendingTariffs>('/me/sending/tariffs')
      .then((tb) => {
        setTariffs(tb);
        setCarrierId((c) => c ?? tb.carriers[0]?.carrierId ?? null);
      })
      .catch((e: Error) => setError(e.message));
    void loadOrders();
  }, []);
  useEffect(() => setLockerId((cur) => cur ?? lockers[0]?.id ?? null), [lockers]);
  // Any change to what is priced drops the quote.
  useEffect(() => setQuote(null), [carrierId, band, size, sender, recipient]);

  const carrier = tariffs?.carriers.find((c) => c.carrierId === carrierId);
  const price = carrier?.prices.find((p) => p.weightBand === band && p.size === size);

  const askQuote = async () => {
    setError(null);
    if (!carrierId) return setError(t('请选择快递公司'));
    const filled = (o: Record<string, string>) => Object.values(o).every((v) => v.trim());
    if (!filled(sender) || !filled(recipient)) return setError(t('请填写完整的寄件人和收件人信息'));
    if (!normalizePhone(sender.phone) || !normalizePhone(recipient.phone))
      return setError(t('请输入正确的手机号'));
    setBusy(true);
    try {
      setQuote(
        await api.post<SendingQuote>('/me/sending/quotes', {
          carrierId,
          weightBand: band,
          size,
          sender: { ...sender, phone: normalizePhone(sender.phone) },
          recipient: { ...recipient, phone: normalizePhone(recipient.phone) },
        }),
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const orderAndPay = async () => {
    if (!quote || !lockerId) return setError(t('请选择智能柜'));
    setError(null);
    setBusy(true);
    try {
      const o = await api.post<SendingOrder>('/me/sending/orders', {
        quoteId: quote.quoteId,
        lockerId,
      });
      const paid = await api.post<SendingOrder>(`/me/sending/orders/${o.id}/pay`);
      if (paid.status === 'awaiting_drop' && paid.compartment !== null)
        Toast.show({
          icon: 'success',
          content: t('{{n}} 号格口已打开，放好后请关门', { n: paid.compartment }),
        });
      else if (paid.status === 'refunded') setError(paid.rejectReason ?? t('已退款'));
      setQuote(null);
      void loadOrders();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const retrieve = async (id: string) => {
    try {
      await api.post(`/me/sending/orders/${id}/retrieve`);
      Toast.show({ icon: 'success', content: t('格口已打开，请取回包裹') });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const field = <T extends Record<string, string>>(
    obj: T,
    set: (v: T) => void,
    key: keyof T & string,
    label: string,
    type: 'text' | 'tel' = 'text',
  ) => (
    <Form.Item label={t(label)} key={key}>
      <Input
        aria-label={t(label)}
        type={type}
        value={obj[key]}
        onChange={(v) => set({ ...obj, [key]: v })}
        clearable
      />
    </Form.Item>
  );

  return (
    <>
      <Form layout="vertical" style={{ '--border-top': 'none' }}>
        <Form.Item label={t('快递公司')}>
          <Selector
            columns={3}
            value={carrierId ? [carrierId] : []}
            onChange={(v) => setCarrierId(v[0] ?? null)}
            options={(tariffs?.carriers ?? []).map((c) => ({
              label: c.carrierName,
              value: c.carrierId,
            }))}
          />
        </Form.Item>
        <Form.Item label={t('重量')}>
          <Selector
            columns={4}
            value={[band]}
            onChange={(v) => v[0] && setBand(v[0])}
            options={(tariffs?.weightBands ?? []).map((b) => ({ label: b, value: b }))}
          />
        </Form.Item>
        <Form.Item label={t('格口大小')}>
          <Selector
            columns={4}
            value={[size]}
            onChange={(v) => v[0] && setSize(v[0])}
            options={(tariffs?.sizes ?? []).map((s) => ({
              label: t(SIZE_LABEL[s]!),
              value: s,
              disabled: !carrier?.prices.some((p) => p.weightBand === band && p.size === s),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('智能柜')}>
          <LockerSelect lockers={lockers} value={lockerId} onChange={setLockerId} />
        </Form.Item>
        <Form.Header>{t('寄件人')}</Form.Header>
        {field(sender, setSender, 'name', '寄件人姓名')}
        {field(sender, setSender, 'phone', '寄件人手机号', 'tel')}
        {field(sender, setSender, 'address', '寄件人地址')}
        <Form.Header>{t('收件人')}</Form.Header>
        {field(recipient, setRecipient, 'name', '收件人姓名')}
        {field(recipient, setRecipient, 'phone', '收件人手机号', 'tel')}
        {field(recipient, setRecipient, 'province', '省')}
        {field(recipient, setRecipient, 'city', '市')}
        {field(recipient, setRecipient, 'district', '区县')}
        {field(recipient, setRecipient, 'address', '详细地址')}
      </Form>
      {price && !quote && (
        <div style={{ margin: '8px 0', color: '#666' }}>
          {t('参考价')} {yuan(price.priceFen)}
        </div>
      )}
      {quote && (
        <div role="status" style={{ margin: '8px 0', fontSize: 16 }}>
          {quote.breakdown.map((b) => (
            <div key={b.item}>
              {b.label}: {yuan(b.amountFen)}
            </div>
          ))}
          <b>
            {t('合计')} {yuan(quote.priceFen)}
          </b>{' '}
          <span style={{ color: '#888' }}>
            {t('报价有效至')} {when(quote.expiresAt)}
          </span>
        </div>
      )}
      {error && (
        <div role="alert" style={{ color: '#cf1322', margin: '8px 0', fontSize: 15 }}>
          {error}
        </div>
      )}
      {quote ? (
        <Button
          block
          color="primary"
          size="large"
          loading={busy}
          onClick={() => void orderAndPay()}
        >
          {t('支付并开柜')} {yuan(quote.priceFen)}
        </Button>
      ) : (
        <Button block color="primary" size="large" loading={busy} onClick={() => void askQuote()}>
          {t('获取报价')}
        </Button>
      )}
      <List header={t('我的寄件订单')} style={{ marginTop: 12 }}>
        {orders.length === 0 && <List.Item>{t('暂无记录')}</List.Item>}
        {orders.map((o) => (
          <List.Item
            key={o.id}
            description={`${o.recipient.city} ${o.recipient.name} · ${yuan(o.priceFen)} · ${when(o.createdAt)}`}
            extra={
              o.status === 'refunded' && o.compartment !== null ? (
                <Button size="small" onClick={() => void retrieve(o.id)}>
                  {t('取回包裹')}
                </Button>
              ) : (
                <Tag>{t(SENDING_STATUS[o.status] ?? o.status)}</Tag>
              )
            }
          >
            {o.carrierName}
            {o.compartment !== null ? ` · ${t('{{n}} 号格口', { n: o.compartment })}` : ''}
          </List.Item>
        ))}
      </List>
    </>
  );
}
