/**
 * Group buys (团购) at my hall: one price, a target and a deadline; join with a quantity and
 * pay (delivered to the locker when the group is made, refunded when it is not). Counts only,
 * never who joined — the web app's group buys on the same endpoints and strings.
 */
import {
  type HallGroupBuy,
  type HallInfo,
  api,
  confirm,
  elder,
  strings,
  t,
  toast,
  when,
  yuan,
} from '../../lib/index.ts';

const S = {
  none: '暂时没有团购',
  price: '团购价',
  join: '参团',
  lead: '成团后交付；未成团自动原路退款。',
  locker: '送到楼下智能柜',
  pickup: '到馆自取',
};

const STATUS: Record<HallGroupBuy['status'], string> = {
  open: '拼团中',
  confirmed: '已成团',
  failed: '未成团，已退款',
};

interface BuyCard {
  id: string;
  title: string;
  description: string;
  status: string;
  open: boolean;
  unit: string;
  price: string;
  priceFen: number;
  percent: number;
  progress: string;
  mine: string;
  qty: number;
  total: string;
}

function card(b: HallGroupBuy): BuyCard {
  const mine = b.mine.reduce((n, j) => n + j.quantity, 0);
  return {
    id: b.id,
    title: b.title,
    description: b.description,
    status: t(STATUS[b.status]),
    open: b.status === 'open',
    unit: b.unit,
    price: yuan(b.priceFen),
    priceFen: b.priceFen,
    percent: Math.min(100, Math.round((b.joinedQty / b.targetQty) * 100)),
    progress: t('已拼 {{n}}/{{target}}{{unit}}，{{buyers}} 户参团 · 截止 {{deadline}}', {
      n: b.joinedQty,
      target: b.targetQty,
      unit: b.unit,
      buyers: b.buyers,
      deadline: when(b.deadline),
    }),
    mine: mine ? t('我已参团 {{n}}{{unit}}', { n: mine, unit: b.unit }) : '',
    qty: 1,
    total: yuan(b.priceFen),
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    loaded: false,
    buys: [] as BuyCard[],
    fulfilment: 'locker' as 'locker' | 'pickup',
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
        const h = (await api.get<HallInfo[]>('/me/halls'))[0];
        const buys = h ? await api.get<HallGroupBuy[]>(`/me/halls/${h.id}/group-buys`) : [];
        this.setData({ buys: buys.map(card), loaded: true, error: '' });
      } catch (e) {
        this.setData({ error: (e as Error).message, loaded: true });
      }
    },
    /** Locker delivery or pickup at the hall once the group is made (data-value). */
    pick(e: WechatMiniprogram.BaseEvent) {
      this.setData({ fulfilment: e.currentTarget.dataset['value'] as 'locker' | 'pickup' });
    },
    /** +1 / −1 on a group buy's quantity (data-id, data-step), 1 to 99. */
    change(e: WechatMiniprogram.BaseEvent) {
      const { id, step } = e.currentTarget.dataset as { id: string; step: string };
      this.setData({
        buys: this.data.buys.map((b) => {
          if (b.id !== id) return b;
          const qty = Math.max(1, Math.min(99, b.qty + Number(step)));
          return { ...b, qty, total: yuan(b.priceFen * qty) };
        }),
      });
    },
    async join(e: WechatMiniprogram.BaseEvent) {
      const b = this.data.buys.find((x) => x.id === e.currentTarget.dataset['id']);
      if (!b || this.data.busy) return;
      if (!(await confirm(`${b.title} × ${b.qty}${b.unit} · ¥${b.total}`, t('参团并支付')))) return;
      this.setData({ busy: true, error: '' });
      try {
        await api.post(`/me/group-buys/${b.id}/join`, {
          quantity: b.qty,
          fulfilment: this.data.fulfilment,
        });
        toast(t('参团成功'));
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
