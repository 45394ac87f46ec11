/**
 * Home: what the resident can do here, elder mode, language, WeChat reminders, sign-out.
 * Pages the mini-program does not carry yet open the web app's address instead (ADR 0034).
 */
import {
  type Lang,
  type Me,
  api,
  elder,
  lang,
  setElder,
  setLang,
  strings,
  subscribeAll,
  syncElder,
  t,
  toast,
} from '../../lib/index.ts';

const S = {
  hello: '您好',
  parcels: '我的快递',
  send: '寄快递',
  hall: '服务馆',
  needs: '我的诉求',
  delivery: '收件方式',
  notices: '通知',
  neighbour: '寄存给邻居',
  fund: '社区发展基金',
  homes: '我的房屋',
  elder: '长辈模式',
  lang: 'English',
  remind: '开启微信提醒',
  remindLead: '快递到柜、超时提醒、订单备好、诉求答复',
  logout: '退出登录',
};

const PAGES: Record<string, string> = {
  parcels: '/pages/parcels/index',
  send: '/pages/send/index',
  hall: '/pages/hall/index',
  needs: '/pages/needs/index',
  delivery: '/pages/delivery/index',
  notices: '/pages/notices/index',
  neighbour: '/pages/neighbour/index',
  fund: '/pages/fund/index',
  homes: '/pages/homes/index',
};

Component({
  options: { styleIsolation: 'apply-shared' },
  data: { s: S, elder: false, name: '', lang: 'zh-CN' as Lang, error: '' },
  methods: {
    onLoad() {
      return this.refresh();
    },
    onShow() {
      this.setData({ s: strings(S), elder: elder(), lang: lang() });
    },
    async refresh() {
      this.setData({ s: strings(S), elder: elder(), lang: lang() });
      try {
        const me = await api.get<Me>('/me');
        this.setData({ name: me.displayName ?? '', elder: await syncElder() });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    go(e: WechatMiniprogram.BaseEvent) {
      const url = PAGES[e.currentTarget.dataset['page'] as string];
      if (url) void wx.navigateTo({ url });
    },
    async toggleElder() {
      try {
        await setElder(!this.data.elder);
        this.setData({ elder: elder() });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    toggleLang() {
      setLang(this.data.lang === 'en' ? 'zh-CN' : 'en');
      this.setData({ s: strings(S), lang: lang() });
    },
    async remind() {
      try {
        const r = await subscribeAll();
        const on = r.templates.filter((x) => x.remaining > 0).length;
        toast(t('已开启 {{n}} 项微信提醒', { n: on }));
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    async logout() {
      await api.logout();
      void wx.reLaunch({ url: '/pages/login/index' });
    },
  },
});
