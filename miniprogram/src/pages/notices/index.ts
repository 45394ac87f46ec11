/**
 * Notices (通知): the notices addressed to my places (street, community, compound), urgent
 * and pinned ones marked, each opening to its text; the activities I may sign up to, with the
 * seats left, signing up (or joining the waiting list when full) and cancelling — the web
 * app's Notices screen, on the same endpoints and strings.
 */
import {
  AUDIENCE_LABEL,
  type ActivityView,
  type NoticeView,
  type SignupResult,
  api,
  confirm,
  elder,
  seatsText,
  strings,
  t,
  toast,
  when,
} from '../../lib/index.ts';

const S = {
  notices: '公告',
  noNotices: '暂无公告',
  urgent: '紧急',
  pinned: '置顶',
  activities: '活动',
  noActivities: '近期没有活动',
  cancelled: '活动已取消',
  signUp: '报名',
  wait: '候补',
  cancel: '取消报名',
  closed: '报名已截止',
};

/** A notice as shown. */
interface NoticeCard {
  id: string;
  title: string;
  body: string;
  urgent: boolean;
  pinned: boolean;
  place: string;
  at: string;
}

/** An activity as shown: what I can do with it now. */
interface ActivityCard {
  id: string;
  title: string;
  description: string;
  location: string;
  at: string;
  seats: string;
  full: boolean;
  cancelled: boolean;
  mineText: string;
  action: 'signup' | 'cancel' | 'closed' | '';
}

function noticeCard(n: NoticeView): NoticeCard {
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    urgent: n.urgent,
    pinned: n.pinned,
    place: t(AUDIENCE_LABEL[n.audience.kind]),
    at: when(n.createdAt),
  };
}

function activityCard(a: ActivityView, now: string): ActivityCard {
  const open = a.status === 'open';
  return {
    id: a.id,
    title: a.title,
    description: a.description,
    location: a.location,
    at: when(a.startsAt),
    seats: seatsText(a, t),
    full: a.confirmed >= a.capacity,
    cancelled: !open,
    mineText:
      a.mine?.status === 'confirmed'
        ? t('已报名')
        : a.mine?.status === 'waiting'
          ? t('候补第 {{n}} 位', { n: a.mine.waitingPosition })
          : '',
    action: !open ? '' : a.mine ? 'cancel' : a.signupClosesAt > now ? 'signup' : 'closed',
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    loaded: false,
    notices: [] as NoticeCard[],
    activities: [] as ActivityCard[],
    titles: {} as Record<string, string>,
    open: '',
    error: '',
  },
  methods: {
    onLoad() {
      this.setData({ s: strings(S), elder: elder() });
      return this.load();
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load() {
      try {
        const [notices, activities] = await Promise.all([
          api.get<NoticeView[]>('/me/notices'),
          api.get<ActivityView[]>('/me/activities'),
        ]);
        const now = new Date().toISOString();
        this.setData({
          loaded: true,
          notices: notices.map(noticeCard),
          activities: activities.map((a) => activityCard(a, now)),
          titles: Object.fromEntries(activities.map((a) => [a.id, a.title])),
          error: '',
        });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    toggle(e: WechatMiniprogram.BaseEvent) {
      const id = e.currentTarget.dataset['id'] as string;
      this.setData({ open: this.data.open === id ? '' : id });
    },
    async signUp(e: WechatMiniprogram.BaseEvent) {
      const id = e.currentTarget.dataset['id'] as string;
      try {
        const r = await api.post<SignupResult>(`/me/activities/${id}/signup`);
        toast(
          r.status === 'confirmed'
            ? t('报名成功')
            : t('已满，您在候补第 {{n}} 位', { n: r.waitingPosition }),
        );
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
    async cancel(e: WechatMiniprogram.BaseEvent) {
      const id = e.currentTarget.dataset['id'] as string;
      const title = this.data.titles[id] ?? '';
      if (!(await confirm(t('取消报名「{{title}}」？', { title }), t('取消报名')))) return;
      try {
        await api.del(`/me/activities/${id}/signup`);
        toast(t('已取消报名'));
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
  },
});
