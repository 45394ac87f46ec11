/**
 * 我的房屋 (the web app's Homes screen): the homes I am bound to, each with 邀请家人 (a
 * single-use 8-digit code, valid 72 hours, shown on the page); and, for a family member with
 * no home yet, two ways in: the code a resident of the unit gave them, or a request the
 * community office checks and approves (withdrawable while pending).
 */
import {
  api,
  elder,
  type HomeUnit,
  type HouseholdRequest,
  type MyHomes,
  strings,
  t,
  toast,
  when,
} from '../../lib/index.ts';

const S = {
  homes: '我的房屋',
  noHome: '还没有绑定房屋：绑定后可查看网格员、社区民警，设置地址别名',
  invite: '邀请家人',
  inviteFor: '邀请家人绑定 {{home}}',
  inviteUntil: '只能用一次，{{time}} 前有效',
  withdraw: '撤回',
  bind: '绑定房屋',
  code: '8 位邀请码',
  codeLead: '家人在「我的房屋」点“邀请家人”即可得到邀请码',
  join: '绑定',
  noCode: '没有邀请码？找到您家的单元，向社区申请核实',
  query: '例如：清淳家园 1栋1单元',
  find: '查找',
  notFound: '没有找到，请检查小区、楼栋、单元名称',
  relation: '您和这户的关系',
  ask: '提交社区审核',
};
const RELATIONS = ['子女', '配偶', '父母', '其他亲属', '保姆 / 护工'];
const STATUS: Record<HouseholdRequest['status'], string> = {
  pending: '社区审核中',
  approved: '已通过',
  rejected: '未通过',
  cancelled: '已撤回',
};

type RequestRow = HouseholdRequest & { statusText: string; at: string; relationText: string };

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    loaded: false,
    homes: [] as HomeUnit[],
    requests: [] as RequestRow[],
    invite: null as null | { home: string; code: string; until: string },
    code: '',
    q: '',
    found: null as HomeUnit[] | null,
    unit: '',
    relations: RELATIONS.map((r) => ({ value: r, label: r })),
    relation: '',
    error: '',
  },
  methods: {
    onLoad() {
      this.setData({
        s: strings(S),
        elder: elder(),
        relations: RELATIONS.map((r) => ({ value: r, label: t(r) })),
      });
      return this.load();
    },
    async load() {
      try {
        const r = await api.get<MyHomes>('/me/homes');
        this.setData({
          loaded: true,
          homes: r.homes,
          requests: r.requests
            .filter((q) => q.status === 'pending' || q.status === 'rejected')
            .map((q) => ({
              ...q,
              statusText: t(STATUS[q.status]),
              at: when(q.createdAt),
              relationText: t(q.relation),
            })),
        });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    async makeInvite(e: WechatMiniprogram.BaseEvent) {
      const unitId = e.currentTarget.dataset['unit'] as string;
      const home = this.data.homes.find((h) => h.unitId === unitId);
      try {
        const r = await api.post<{ code: string; expiresAt: string }>('/me/homes/invites', {
          unitId,
        });
        this.setData({
          invite: {
            home: t(S.inviteFor, { home: home?.label ?? '' }),
            code: r.code,
            until: t(S.inviteUntil, { time: when(r.expiresAt) }),
          },
          error: '',
        });
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
    typeCode(e: WechatMiniprogram.Input) {
      this.setData({ code: e.detail.value });
    },
    async join() {
      const code = this.data.code.trim();
      if (!/^\d{8}$/.test(code))
        return this.setData({ error: t('请输入家人给您的 8 位数字邀请码') });
      try {
        const u = await api.post<HomeUnit>('/me/homes/join', { code });
        this.setData({ code: '', error: '' });
        toast(t('已绑定 {{home}}', { home: u.label }));
        return this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
    typeQuery(e: WechatMiniprogram.Input) {
      this.setData({ q: e.detail.value });
    },
    async search() {
      const q = this.data.q.trim();
      if (!q) return this.setData({ error: t('请输入小区、楼栋和单元，例如 清淳家园 1栋1单元') });
      try {
        const found = await api.get<HomeUnit[]>(`/me/homes/units?q=${encodeURIComponent(q)}`);
        this.setData({ found, unit: '', error: '' });
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
    pickUnit(e: WechatMiniprogram.BaseEvent) {
      this.setData({ unit: e.currentTarget.dataset['unit'] as string });
    },
    pickRelation(e: WechatMiniprogram.BaseEvent) {
      this.setData({ relation: e.currentTarget.dataset['value'] as string });
    },
    async ask() {
      if (!this.data.unit) return this.setData({ error: t('请先选择房屋所在的单元') });
      if (!this.data.relation) return this.setData({ error: t('请选择您和这户的关系') });
      try {
        await api.post('/me/homes/requests', {
          unitId: this.data.unit,
          relation: this.data.relation,
        });
        this.setData({ found: null, q: '', unit: '', relation: '', error: '' });
        toast(t('已提交，社区工作人员核实后为您绑定'));
        return this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
    async withdraw(e: WechatMiniprogram.BaseEvent) {
      try {
        await api.del(`/me/homes/requests/${e.currentTarget.dataset['id'] as string}`);
        toast(t('已撤回'));
        return this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
  },
});
