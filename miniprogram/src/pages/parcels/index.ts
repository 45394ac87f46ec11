/**
 * My parcels: each waiting parcel with its code (and QR for the screen's reader), locker,
 * compartment, free-until deadline and when its compartment was disinfected; open it from
 * here when standing at the locker, or scan the locker screen's QR (wx.scanCode) to open
 * every parcel of mine in that locker at once. A parcel past its free storage under a
 * community's fee policy shows its overdue fee (GET /me/parcels/{id}/fee) and is paid here
 * before it opens (POST …/fee/payments, the hall's payment adapter), as in the web app.
 */
import {
  type MyParcel,
  type ParcelFee,
  type ParcelFeePayment,
  PARCEL_STATUS,
  type ScanResult,
  api,
  confirm,
  elder,
  qrDataUrl,
  strings,
  t,
  toast,
  when,
  yuan,
  ApiError,
} from '../../lib/index.ts';

const S = {
  scan: '扫码取件',
  empty: '暂无待取快递',
  code: '取件码',
  compartment: '格口',
  freeUntil: '免费保管至',
  disinfected: '已消毒',
  open: '开柜取件',
  recent: '最近取件',
  share: '分享给家人',
  payFee: '缴纳超时保管费',
};

/** A parcel as the page shows it. */
interface Card {
  id: string;
  title: string;
  status: string;
  code: string;
  qr: string;
  compartment: number;
  freeUntil: string;
  disinfectedAt: string;
  canOpen: boolean;
  /** Owed now, in fen (0: nothing to pay). */
  owedFen: number;
  /** "超时保管费 ¥3.00" while owing, or the settled line; '' when no fee. */
  fee: string;
}

const WAITING = new Set(['stored', 'at_hall', 'reserved']);

function card(p: MyParcel): Card {
  return {
    id: p.parcelId,
    title: `${p.carrier ?? t(p.kind === 'neighbour' ? '邻居寄存' : '快递')} · ${p.hall?.name ?? p.lockerName}`,
    status: t(PARCEL_STATUS[p.status] ?? p.status),
    code: p.code ?? '',
    qr: p.code && p.status === 'stored' ? qrDataUrl(p.code) : '',
    compartment: p.compartment,
    freeUntil: p.freeUntil ? when(p.freeUntil) : '',
    disinfectedAt: p.disinfectedAt ? when(p.disinfectedAt) : '',
    canOpen: p.status === 'stored',
    owedFen: 0,
    fee: '',
  };
}

/** A card with its fee: only parcels past their free storage can owe one. */
async function withFee(c: Card, p: MyParcel, now: string): Promise<Card> {
  if (!p.freeUntil || p.freeUntil > now) return c;
  const f = await api.get<ParcelFee>(`/me/parcels/${p.parcelId}/fee`);
  if (f.status === 'owing')
    return { ...c, owedFen: f.owedFen, fee: `${t('超时保管费')} ¥${yuan(f.owedFen)}` };
  if (f.status === 'none') return c;
  const settled = f.status === 'paid' ? t('超时保管费已缴') : t('超时保管费已减免');
  return { ...c, fee: `${settled} ¥${yuan(f.settledFen ?? 0)}` };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    waiting: [] as Card[],
    done: [] as Card[],
    loaded: false,
    error: '',
    result: '',
  },
  methods: {
    onLoad() {
      this.setData({ s: strings(S), elder: elder() });
      return this.load();
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      try {
        const list = await api.get<MyParcel[]>('/me/parcels?include=recent');
        const now = new Date().toISOString();
        const waiting = list.filter((p) => WAITING.has(p.status));
        this.setData({
          waiting: await Promise.all(waiting.map((p) => withFee(card(p), p, now))),
          done: list.filter((p) => !WAITING.has(p.status)).map(card),
          loaded: true,
          error: '',
        });
      } catch (e) {
        this.setData({ error: (e as Error).message, loaded: true });
      }
    },
    /** Open one compartment from the app (the resident says they are at the locker). */
    async open(e: WechatMiniprogram.BaseEvent) {
      const c = this.data.waiting.find((x) => x.id === e.currentTarget.dataset['id']);
      if (!c) return;
      if (
        !(await confirm(t('确认您已在柜前？将打开 {{n}} 号格口', { n: c.compartment }), t('开柜')))
      )
        return;
      try {
        await api.post(`/me/parcels/${c.id}/open`);
        this.setData({ result: t('已发送开柜指令，请取件后关门') });
        toast(t('已发送开柜指令，请取件后关门'));
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
    /** Pay a parcel's overdue fee; once paid it opens like any other. */
    async payFee(e: WechatMiniprogram.BaseEvent) {
      const c = this.data.waiting.find((x) => x.id === e.currentTarget.dataset['id']);
      if (!c || !c.owedFen) return;
      try {
        const r = await api.post<ParcelFeePayment>(`/me/parcels/${c.id}/fee/payments`);
        if (r.status === 'paid') toast(t('已缴费，可以取件了'));
        else this.setData({ error: t('支付未完成，请重试') });
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
    share(e: WechatMiniprogram.BaseEvent) {
      void wx.navigateTo({
        url: `/pages/share/index?parcel=${e.currentTarget.dataset['id'] as string}`,
      });
    },
    /** Scan the locker screen's QR: the server opens every parcel of mine in that locker. */
    async scan() {
      let qr: string;
      try {
        qr = (await wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })).result;
      } catch {
        return; // the resident closed the camera
      }
      try {
        const r = await api.post<ScanResult>('/me/pickups/scan', { qr });
        const text = r.opened.length
          ? t('已打开 {{list}} 号格口，取件后请关门', {
              list: r.opened.map((o) => o.compartment).join('、'),
            })
          : t('这个柜里没有您的快递');
        this.setData({ result: text, error: '' });
        await this.load();
      } catch (err) {
        const code = (err as ApiError).code;
        this.setData({
          error:
            code === 'not_found' || code === 'validation_failed' || code === 'bad_request'
              ? t('二维码无效或已过期，请重新扫描柜机屏幕')
              : (err as Error).message,
        });
      }
    },
  },
});
