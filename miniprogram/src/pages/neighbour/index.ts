/**
 * Neighbour deposit (邻里寄存): leave something in a locker for a neighbour — pick the
 * locker and a size with free compartments, give the neighbour's phone (the pickup code goes
 * to them by SMS), and the compartment opens. What I left, and my outgoing parcels, are listed
 * (GET /me/sent) — the web app's 寄存给邻居 on the same endpoints and strings.
 */
import {
  type Deposit,
  type DirectoryLocker,
  type SentParcel,
  SIZES,
  SIZE_LABEL,
  api,
  elder,
  normalizePhone,
  strings,
  t,
  toast,
  when,
} from '../../lib/index.ts';

const S = {
  title: '寄存给邻居',
  locker: '请选择智能柜',
  size: '格口大小',
  phone: '邻居手机号',
  phoneLead: '取件码会短信发给对方',
  open: '开柜寄存',
  sent: '我寄出的',
  none: '暂无记录',
};

/** A line of GET /me/sent (the neighbour's phone comes masked). */
function sentCard(x: SentParcel) {
  return {
    parcelId: x.parcelId,
    what:
      x.kind === 'neighbour'
        ? `${t('寄存给')} ${x.recipientPhone ?? ''}`
        : `${t('寄快递')} · ${x.carrier ?? ''}`,
    where: `${x.lockerName} · ${t('{{n}} 号格口', { n: x.compartment })} · ${when(x.createdAt)}`,
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    loaded: false,
    lockers: [] as { id: string; place: string; free: Record<string, number> }[],
    lockerIndex: -1,
    sizes: [] as { code: string; label: string; free: number }[],
    size: 'S',
    phone: '',
    result: '',
    sent: [] as ReturnType<typeof sentCard>[],
    busy: false,
    error: '',
  },
  methods: {
    onLoad() {
      this.setData({ s: strings(S), elder: elder() });
      return this.load();
    },
    async load() {
      try {
        const [lockers, sent] = await Promise.all([
          api.get<DirectoryLocker[]>('/lockers'),
          api.get<SentParcel[]>('/me/sent'),
        ]);
        this.setData({
          lockers: lockers.map((l) => ({ id: l.id, place: l.place, free: l.free })),
          sent: sent.map(sentCard),
          loaded: true,
        });
        this.showSizes(
          this.data.lockerIndex >= 0 ? this.data.lockerIndex : lockers.length ? 0 : -1,
        );
      } catch (e) {
        this.setData({ error: (e as Error).message, loaded: true });
      }
    },
    /** The size chips of locker `i`, each with its free compartments. */
    showSizes(i: number) {
      const l = this.data.lockers[i];
      this.setData({
        lockerIndex: i,
        sizes: SIZES.map((code) => ({
          code,
          label: `${t(SIZE_LABEL[code]!)}${l ? ` ${l.free[code] ?? 0}` : ''}`,
          free: l ? (l.free[code] ?? 0) : 0,
        })),
      });
    },
    pickLocker(e: WechatMiniprogram.PickerChange) {
      this.showSizes(Number(e.detail.value));
    },
    pickSize(e: WechatMiniprogram.BaseEvent) {
      const { code, free } = e.currentTarget.dataset as { code: string; free: number };
      if (free > 0) this.setData({ size: code });
    },
    onPhone(e: WechatMiniprogram.Input) {
      this.setData({ phone: e.detail.value, error: '' });
    },
    async deposit() {
      const locker = this.data.lockers[this.data.lockerIndex];
      if (!locker) return this.setData({ error: t('请选择智能柜') });
      if (!this.data.phone.trim()) return this.setData({ error: t('请输入手机号') });
      const phone = normalizePhone(this.data.phone);
      if (!phone) return this.setData({ error: t('请输入正确的手机号') });
      if (this.data.busy) return;
      this.setData({ busy: true, error: '', result: '' });
      try {
        const d = await api.post<Deposit>(`/lockers/${locker.id}/neighbour-deposits`, {
          recipientPhone: phone,
          size: this.data.size,
        });
        const text = t('{{n}} 号格口已打开，放好后请关门', { n: d.compartment });
        toast(text);
        this.setData({ result: text, phone: '' });
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
