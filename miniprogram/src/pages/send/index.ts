/**
 * Sending a parcel (寄件): sender and recipient addresses, a weight band and a compartment
 * size, a carrier's price from its tariff table → a quote → payment → the compartment opens
 * for the parcel; then my sending orders with their status (a rejected parcel is refunded).
 * The server half is issue 20's other branch; the page is not yet tested against it.
 */
import {
  type CarrierTariff,
  type DirectoryLocker,
  SENDING_STATUS,
  SIZE_LABEL,
  type SendingOrder,
  type SendingQuote,
  type Tariffs,
  api,
  elder,
  normalizePhone,
  strings,
  t,
  toast,
  yuan,
} from '../../lib/index.ts';

const S = {
  sender: '寄件人',
  recipient: '收件人',
  name: '姓名',
  phone: '手机号',
  address: '详细地址',
  province: '省',
  city: '市',
  district: '区/县',
  weight: '重量',
  size: '格口尺寸',
  carrier: '快递公司',
  locker: '投递的智能柜',
  quote: '查询运费',
  pay: '支付并开柜',
  orders: '我的寄件',
  none: '还没有寄件',
};

const FIELDS = [
  'senderName',
  'senderPhone',
  'senderAddress',
  'recipientName',
  'recipientPhone',
  'province',
  'city',
  'district',
  'recipientAddress',
] as const;
type Field = (typeof FIELDS)[number];

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    form: Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<Field, string>,
    tariffs: [] as CarrierTariff[],
    carriers: [] as string[],
    carrierIndex: 0,
    bands: [] as string[],
    bandIndex: 0,
    sizes: [] as { code: string; label: string }[],
    sizeIndex: 0,
    lockers: [] as { id: string; name: string }[],
    lockerIndex: 0,
    quote: null as (SendingQuote & { price: string }) | null,
    orders: [] as { id: string; status: string; price: string; carrier: string; where: string }[],
    busy: false,
    error: '',
    result: '',
  },
  methods: {
    onLoad() {
      this.setData({ s: strings(S), elder: elder() });
      return this.load();
    },
    async load() {
      try {
        const [table, lockers] = await Promise.all([
          api.get<Tariffs>('/me/sending/tariffs'),
          api.get<DirectoryLocker[]>('/lockers'),
        ]);
        const tariffs = table.carriers.filter((c) => c.prices.length > 0);
        this.setData({
          tariffs,
          carriers: tariffs.map((c) => c.carrierName),
          lockers: lockers.map((l) => ({ id: l.id, name: l.name })),
        });
        this.pickCarrier({ detail: { value: '0' } });
        await this.loadOrders();
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    async loadOrders() {
      const orders = await api.get<SendingOrder[]>('/me/sending/orders');
      this.setData({
        orders: orders.map((o) => ({
          id: o.id,
          status: t(SENDING_STATUS[o.status] ?? o.status),
          price: yuan(o.priceFen),
          carrier: o.carrierName,
          where: o.compartment
            ? `${o.lockerName} · ${t('{{n}} 号格口', { n: o.compartment })}`
            : o.lockerName,
        })),
      });
    },
    onField(e: WechatMiniprogram.Input) {
      const f = e.currentTarget.dataset['field'] as Field;
      this.setData({ form: { ...this.data.form, [f]: e.detail.value }, quote: null });
    },
    /** A carrier offers its own bands and sizes. */
    pickCarrier(e: { detail: { value: string | number } }) {
      const c = this.data.tariffs[Number(e.detail.value)];
      if (!c) return;
      const bands = [...new Set(c.prices.map((p) => p.weightBand))];
      const sizes = [...new Set(c.prices.map((p) => p.size))];
      this.setData({
        carrierIndex: Number(e.detail.value),
        bands,
        bandIndex: 0,
        sizes: sizes.map((x) => ({ code: x, label: t(SIZE_LABEL[x] ?? x) })),
        sizeIndex: 0,
        quote: null,
      });
    },
    pick(e: WechatMiniprogram.PickerChange) {
      const key = e.currentTarget.dataset['key'] as 'bandIndex' | 'sizeIndex' | 'lockerIndex';
      this.setData({ [key]: Number(e.detail.value), quote: null });
    },
    async getQuote() {
      const f = this.data.form;
      const carrier = this.data.tariffs[this.data.carrierIndex];
      const senderPhone = normalizePhone(f.senderPhone);
      const recipientPhone = normalizePhone(f.recipientPhone);
      if (!carrier) return this.setData({ error: t('暂无可寄件的快递公司') });
      if (!senderPhone || !recipientPhone) return this.setData({ error: t('请输入正确的手机号') });
      if (FIELDS.some((k) => !f[k].trim()))
        return this.setData({ error: t('请填写完整的寄件信息') });
      this.setData({ busy: true, error: '' });
      try {
        const q = await api.post<SendingQuote>('/me/sending/quotes', {
          carrierId: carrier.carrierId,
          weightBand: this.data.bands[this.data.bandIndex],
          size: this.data.sizes[this.data.sizeIndex]?.code,
          sender: {
            name: f.senderName.trim(),
            phone: senderPhone,
            address: f.senderAddress.trim(),
          },
          recipient: {
            name: f.recipientName.trim(),
            phone: recipientPhone,
            province: f.province.trim(),
            city: f.city.trim(),
            district: f.district.trim(),
            address: f.recipientAddress.trim(),
          },
        });
        this.setData({ quote: { ...q, price: yuan(q.priceFen) } });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
    /** Order the quote, pay it, and the compartment opens for the parcel. */
    async pay() {
      const q = this.data.quote;
      const locker = this.data.lockers[this.data.lockerIndex];
      if (!q || !locker || this.data.busy) return;
      this.setData({ busy: true, error: '' });
      try {
        const order = await api.post<SendingOrder>('/me/sending/orders', {
          quoteId: q.quoteId,
          lockerId: locker.id,
        });
        const paid = await api.post<SendingOrder>(`/me/sending/orders/${order.id}/pay`);
        const text =
          paid.status === 'awaiting_drop' && paid.compartment
            ? t('{{n}} 号格口已打开，放入包裹后请关门', { n: paid.compartment })
            : t(SENDING_STATUS[paid.status] ?? paid.status);
        this.setData({ result: text, quote: null });
        toast(t('支付成功'));
        await this.loadOrders();
      } catch (e) {
        this.setData({ error: (e as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
