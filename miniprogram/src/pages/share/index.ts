/**
 * Share a parcel's pickup with family: the people I name by phone see the parcel and its
 * code in their own app and may pick it up; I can take a share back. Opened from a parcel
 * (pages/share/index?parcel=<id>).
 */
import { api, elder, normalizePhone, strings, t, toast, when } from '../../lib/index.ts';

const S = {
  lead: '家人用自己的手机号登录后即可看到取件码并取件',
  phone: '家人的手机号',
  add: '分享',
  remove: '取消分享',
  none: '还没有分享给任何人',
};

/** One share (GET /me/parcels/{id}/shares): the phone masked. */
interface ShareView {
  shareId: string;
  phone: string | null;
  createdAt: string;
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    parcel: '',
    phone: '',
    shares: [] as (ShareView & { since: string })[],
    error: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ s: strings(S), elder: elder(), parcel: query['parcel'] ?? '' });
      return this.load();
    },
    path() {
      return `/me/parcels/${encodeURIComponent(this.data.parcel)}/shares`;
    },
    async load() {
      try {
        const shares = await api.get<ShareView[]>(this.path());
        this.setData({ shares: shares.map((x) => ({ ...x, since: when(x.createdAt) })) });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    onPhone(e: WechatMiniprogram.Input) {
      this.setData({ phone: e.detail.value, error: '' });
    },
    async add() {
      const phone = normalizePhone(this.data.phone);
      if (!phone) return this.setData({ error: t('请输入正确的手机号') });
      try {
        await api.post(this.path(), { phone });
        this.setData({ phone: '' });
        toast(t('已分享'));
        await this.load();
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    async remove(e: WechatMiniprogram.BaseEvent) {
      try {
        await api.del(`${this.path()}/${e.currentTarget.dataset['id'] as string}`);
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
  },
});
