/**
 * How my parcels reach me (the same settings as the web app's 我的 page): the default
 * delivery mode couriers see before a deposit, an exception per carrier, my address alias
 * (what senders write instead of my flat; it needs a home), and the couriers waiting for my
 * consent (先问一下) to accept or decline. The server replaces the whole preference set on
 * each save, so every save sends the default with all the exceptions.
 */
import {
  api,
  type Carrier,
  type ConsentRequest,
  DELIVERY_MODE_OPTIONS,
  type DeliveryPreferences,
  elder,
  type Me,
  strings,
  t,
  toast,
  when,
} from '../../lib/index.ts';

const S = {
  mode: '默认收件方式',
  perCarrier: '按快递公司设置',
  perCarrierLead: '不设置的快递公司按默认方式',
  same: '同默认',
  alias: '地址别名（快递员只看到它，看不到门牌号）',
  aliasHint: '例如：清淳家园 3栋2单元 蚁巢柜',
  aliasSave: '保存别名',
  aliasNeedsHome: '绑定房屋后可设置地址别名',
  consents: '等待我同意的投递',
  none: '没有等待同意的投递',
  accept: '同意投柜',
  decline: '不同意',
};

type Mode = DeliveryPreferences['defaultMode'];
interface CarrierRow {
  id: string;
  name: string;
  /** The exception for this carrier, '' when it follows the default. */
  mode: Mode | '';
}

/**
 * Saves run one after another, each from what the one before left: the server replaces the
 * whole set, so two taps whose saves overlapped could finish out of order and the older set
 * would win (a carrier's exception lost; the mini-program test caught it in a CI dry run).
 */
const saving = new WeakMap<object, Promise<unknown>>();
function oneAtATime(page: object, run: () => Promise<unknown>): Promise<unknown> {
  const next = (saving.get(page) ?? Promise.resolve()).then(run, run);
  saving.set(page, next);
  return next;
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    modes: DELIVERY_MODE_OPTIONS.map((m) => ({
      value: m.value as string,
      label: m.label as string,
    })),
    mode: '',
    carriers: [] as CarrierRow[],
    hasHome: false,
    alias: '',
    consents: [] as (ConsentRequest & { until: string })[],
    error: '',
  },
  methods: {
    onLoad() {
      this.setData({
        s: strings(S),
        elder: elder(),
        modes: DELIVERY_MODE_OPTIONS.map((m) => ({ value: m.value, label: t(m.label) })),
      });
      return this.load();
    },
    async load() {
      try {
        const [pref, consents, carriers, me] = await Promise.all([
          api.get<DeliveryPreferences>('/me/delivery-preferences'),
          api.get<ConsentRequest[]>('/me/consent-requests?status=pending'),
          api.get<Carrier[]>('/carriers'),
          api.get<Me>('/me'),
        ]);
        const hasHome = me.grants.some((g) => g.role === 'resident');
        // The alias names a home: ask for it only once there is one.
        const alias = hasHome ? await api.get<{ text: string | null }>('/me/address-alias') : null;
        const exceptions = new Map(pref.perCarrier.map((p) => [p.carrierId, p.mode]));
        this.setData({
          mode: pref.defaultMode,
          carriers: carriers
            .filter((c) => c.kind === 'express')
            .map((c) => ({ id: c.id, name: c.name, mode: exceptions.get(c.id) ?? '' })),
          hasHome,
          alias: alias?.text ?? '',
          consents: consents.map((c) => ({ ...c, until: when(c.expiresAt) })),
          error: '',
        });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    /** Save the default and every exception (the server replaces the set). */
    async save(mode: string, carriers: CarrierRow[]) {
      try {
        const saved = await api.put<DeliveryPreferences>('/me/delivery-preferences', {
          defaultMode: mode,
          perCarrier: carriers
            .filter((c) => c.mode !== '')
            .map((c) => ({ carrierId: c.id, mode: c.mode })),
        });
        const exceptions = new Map(saved.perCarrier.map((p) => [p.carrierId, p.mode]));
        this.setData({
          mode: saved.defaultMode,
          carriers: carriers.map((c) => ({ ...c, mode: exceptions.get(c.id) ?? '' })),
          error: '',
        });
        toast(t('已保存'));
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
    pickMode(e: WechatMiniprogram.BaseEvent) {
      const mode = e.currentTarget.dataset['value'] as string;
      return oneAtATime(this, () => this.save(mode, this.data.carriers));
    },
    pickCarrierMode(e: WechatMiniprogram.BaseEvent) {
      const { id, value } = e.currentTarget.dataset as { id: string; value: Mode | '' };
      return oneAtATime(this, () =>
        this.save(
          this.data.mode,
          this.data.carriers.map((c) => (c.id === id ? { ...c, mode: value } : c)),
        ),
      );
    },
    typeAlias(e: WechatMiniprogram.Input) {
      this.setData({ alias: e.detail.value });
    },
    async saveAlias() {
      const text = this.data.alias.trim();
      try {
        if (text) await api.put('/me/address-alias', { text });
        else await api.del('/me/address-alias');
        this.setData({ alias: text, error: '' });
        toast(t('已保存'));
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
    async decide(e: WechatMiniprogram.BaseEvent) {
      const { id, accept } = e.currentTarget.dataset as { id: string; accept: string };
      try {
        await api.post(`/me/consent-requests/${id}/decision`, { accept: accept === 'yes' });
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
  },
});
