/**
 * The hall: my hall's catalogue of products, a cart, and an order paid through the hall's
 * payment adapter and delivered to a locker (or picked up at the counter); my orders with
 * their status and pickup code. Services by appointment, group buys and space bookings have
 * their own pages, linked from here; activities are on the notices page.
 */
import {
  type HallCatalogue,
  type HallInfo,
  type HallItem,
  type HallOrder,
  ORDER_STATUS,
  api,
  elder,
  strings,
  t,
  toast,
  yuan,
} from '../../lib/index.ts';

const S = {
  noHall: '您的小区还没有服务馆',
  total: '合计',
  locker: '送到快递柜',
  pickup: '到店自取',
  pay: '支付下单',
  orders: '我的订单',
  noOrders: '还没有订单',
  stock: '库存',
  services: '预约服务',
  groupBuys: '团购',
  bookings: '空间预约',
};

/** A catalogue line as shown: price in yuan, the quantity in the cart. */
interface Line {
  id: string;
  name: string;
  unit: string;
  price: string;
  priceFen: number;
  stock: string;
  qty: number;
}

/** An order as shown. */
interface OrderCard {
  id: string;
  code: string;
  status: string;
  total: string;
  lines: string;
}

function line(i: HallItem): Line {
  return {
    id: i.id,
    name: i.name,
    unit: i.unit,
    price: yuan(i.priceFen),
    priceFen: i.priceFen,
    stock: i.stock === null ? '' : String(i.stock),
    qty: 0,
  };
}

function orderCard(o: HallOrder): OrderCard {
  return {
    id: o.id,
    code: o.code,
    status: t(ORDER_STATUS[o.status]),
    total: yuan(o.totalFen),
    lines: o.lines.map((l) => `${l.name}×${l.quantity}`).join('，'),
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    hall: null as { id: string; name: string; address: string; hours: string } | null,
    items: [] as Line[],
    orders: [] as OrderCard[],
    fulfilment: 'locker' as 'locker' | 'pickup',
    total: '0.00',
    count: 0,
    loaded: false,
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
        const halls = await api.get<HallInfo[]>('/me/halls');
        const h = halls[0];
        if (!h) {
          this.setData({ loaded: true });
          return;
        }
        const cat = await api.get<HallCatalogue>(`/me/halls/${h.id}/catalogue`);
        this.setData({
          hall: { id: h.id, name: h.name, address: h.address, hours: h.openingHours },
          // Products only: a service with an appointment needs the slot picker of the web app.
          items: cat.items.filter((i) => i.active && i.kind === 'product').map(line),
          loaded: true,
        });
        await this.loadOrders();
      } catch (e) {
        this.setData({ error: (e as Error).message, loaded: true });
      }
    },
    async loadOrders() {
      const orders = await api.get<HallOrder[]>('/me/hall-orders');
      this.setData({ orders: orders.map(orderCard) });
    },
    /** +1 / −1 on a line (data-id, data-step). */
    change(e: WechatMiniprogram.BaseEvent) {
      const { id, step } = e.currentTarget.dataset as { id: string; step: string };
      const items = this.data.items.map((i) =>
        i.id === id ? { ...i, qty: Math.max(0, Math.min(99, i.qty + Number(step))) } : i,
      );
      const fen = items.reduce((n, i) => n + i.priceFen * i.qty, 0);
      this.setData({
        items,
        total: yuan(fen),
        count: items.reduce((n, i) => n + i.qty, 0),
      });
    },
    /** Open the hall's other pages (data-page: service, groupbuy, booking). */
    go(e: WechatMiniprogram.BaseEvent) {
      const page = e.currentTarget.dataset['page'] as string;
      if (['service', 'groupbuy', 'booking'].includes(page))
        void wx.navigateTo({ url: `/pages/${page}/index` });
    },
    pick(e: WechatMiniprogram.BaseEvent) {
      this.setData({ fulfilment: e.currentTarget.dataset['value'] as 'locker' | 'pickup' });
    },
    async pay() {
      const hall = this.data.hall;
      const lines = this.data.items.filter((i) => i.qty > 0);
      if (!hall || !lines.length || this.data.busy) return;
      this.setData({ busy: true, error: '' });
      try {
        await api.post(`/me/halls/${hall.id}/orders`, {
          fulfilment: this.data.fulfilment,
          lines: lines.map((i) => ({ itemId: i.id, quantity: i.qty, priceFen: i.priceFen })),
        });
        toast(t('支付成功'));
        this.setData({
          items: this.data.items.map((i) => ({ ...i, qty: 0 })),
          total: '0.00',
          count: 0,
        });
        await this.loadOrders();
      } catch (e) {
        this.setData({ error: (e as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
