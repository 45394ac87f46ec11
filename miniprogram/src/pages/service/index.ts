/**
 * Services by appointment (预约服务) at my hall: pick a service, a day of the next week and a
 * free slot (GET …/services/{id}/slots, the web app's slot picker), pay, and see my booked
 * appointments. The order goes through the same endpoint as products (POST …/orders with the
 * line's slotStart), picked up or done at the counter, or at home for a home-visit service.
 */
import {
  type HallCatalogue,
  type HallInfo,
  type HallOrder,
  type HallServiceSlots,
  ORDER_STATUS,
  api,
  clock,
  elder,
  nextDays,
  slotText,
  strings,
  t,
  toast,
  yuan,
} from '../../lib/index.ts';

const S = {
  none: '您的小区还没有服务馆',
  when: '选时间',
  noSlots: '这一天没有可约的时段，请换一天。',
  pay: '支付下单',
  mine: '我的预约',
  noMine: '还没有预约',
  atHome: '上门服务，到您家单元',
};

interface ServiceLine {
  id: string;
  name: string;
  description: string;
  unit: string;
  price: string;
  priceFen: number;
}

/** A day chip: 今天, 明天, then MM-DD. */
function dayChips(): { value: string; label: string }[] {
  return nextDays().map((d, i) => ({
    value: d,
    label: i === 0 ? t('今天') : i === 1 ? t('明天') : d.slice(5),
  }));
}

/** My order lines that carry an appointment, newest order first. */
function appointmentsOf(orders: HallOrder[]) {
  return orders.flatMap((o) =>
    o.lines
      .filter((l) => l.appointment)
      .map((l, i) => ({
        key: `${o.id}-${i}`,
        name: l.name,
        slot: slotText(l.appointment!.start, l.appointment!.end),
        atHome: l.appointment!.atHome,
        status: l.appointment!.status === 'cancelled' ? t('已取消') : t(ORDER_STATUS[o.status]),
      })),
  );
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    loaded: false,
    hallId: '',
    services: [] as ServiceLine[],
    picked: '',
    price: '',
    days: [] as { value: string; label: string }[],
    day: '',
    hours: '',
    slots: [] as { start: string; end: string; label: string; ok: boolean }[],
    slotsLoaded: false,
    anyFree: false,
    slot: '',
    slotLabel: '',
    appointments: [] as ReturnType<typeof appointmentsOf>,
    busy: false,
    error: '',
  },
  methods: {
    onLoad() {
      const days = dayChips();
      this.setData({ s: strings(S), elder: elder(), days, day: days[0]!.value });
      return this.load();
    },
    async load() {
      try {
        const h = (await api.get<HallInfo[]>('/me/halls'))[0];
        if (!h) return this.setData({ loaded: true });
        const [cat, orders] = await Promise.all([
          api.get<HallCatalogue>(`/me/halls/${h.id}/catalogue`),
          api.get<HallOrder[]>('/me/hall-orders'),
        ]);
        this.setData({
          hallId: h.id,
          services: cat.items
            .filter((i) => i.active && i.kind === 'service' && i.appointment)
            .map((i) => ({
              id: i.id,
              name: i.name,
              description: i.description,
              unit: i.unit,
              price: yuan(i.priceFen),
              priceFen: i.priceFen,
            })),
          appointments: appointmentsOf(orders),
          loaded: true,
        });
      } catch (e) {
        this.setData({ error: (e as Error).message, loaded: true });
      }
    },
    pickService(e: WechatMiniprogram.BaseEvent) {
      const id = e.currentTarget.dataset['id'] as string;
      const svc = this.data.services.find((x) => x.id === id);
      if (!svc) return;
      this.setData({ picked: id, price: svc.price, slot: '', slotLabel: '' });
      return this.loadSlots();
    },
    pickDay(e: WechatMiniprogram.BaseEvent) {
      this.setData({ day: e.currentTarget.dataset['day'] as string, slot: '', slotLabel: '' });
      return this.loadSlots();
    },
    async loadSlots() {
      const { hallId, picked, day } = this.data;
      this.setData({ slotsLoaded: false, slots: [] });
      try {
        const r = await api.get<HallServiceSlots>(
          `/me/halls/${hallId}/services/${picked}/slots?day=${day}`,
        );
        const slots = r.slots.map((x) => {
          const ok = x.open && x.free > 0;
          return {
            start: x.start,
            end: x.end,
            ok,
            label: `${clock(x.start)} ${!x.open ? t('已过') : x.free > 0 ? t('余 {{n}}', { n: x.free }) : t('满')}`,
          };
        });
        this.setData({
          slots,
          slotsLoaded: true,
          anyFree: slots.some((x) => x.ok),
          hours:
            t('服务时间 {{hours}}，每次 {{n}} 分钟', { hours: r.hours, n: r.slotMinutes }) +
            (r.atHome ? ` · ${t('上门服务，到您家单元')}` : ''),
          error: '',
        });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    pickSlot(e: WechatMiniprogram.BaseEvent) {
      const { start, ok } = e.currentTarget.dataset as { start: string; ok: boolean };
      const s = this.data.slots.find((x) => x.start === start);
      if (!ok || !s) return;
      this.setData({ slot: start, slotLabel: slotText(s.start, s.end) });
    },
    async book() {
      const svc = this.data.services.find((x) => x.id === this.data.picked);
      if (!svc || !this.data.slot || this.data.busy) return;
      this.setData({ busy: true, error: '' });
      try {
        await api.post(`/me/halls/${this.data.hallId}/orders`, {
          fulfilment: 'pickup',
          lines: [
            { itemId: svc.id, quantity: 1, priceFen: svc.priceFen, slotStart: this.data.slot },
          ],
        });
        toast(t('支付成功'));
        this.setData({ picked: '', slot: '', slotLabel: '' });
        await this.load();
      } catch (e) {
        this.setData({ error: (e as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
