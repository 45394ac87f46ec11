/**
 * Space bookings (空间预约) at my hall: a rest-area table or the meeting room, a day of the
 * next week and a free slot, the party size and purpose; big meetings wait for the hall's
 * approval. My bookings show their check-in code and can be cancelled — the web app's
 * bookings on the same endpoints and strings.
 */
import {
  type HallBooking,
  type HallInfo,
  type HallSpaceDay,
  api,
  clock,
  elder,
  nextDays,
  strings,
  t,
  when,
} from '../../lib/index.ts';

const S = {
  code: '签到码',
  cancel: '取消预约',
  purpose: '用途，例如：楼栋议事、读书会',
  book: '预约',
};

const STATUS: Record<HallBooking['status'], string> = {
  confirmed: '已预约',
  pending_approval: '待审批',
  checked_in: '已签到',
  cancelled: '已取消',
  rejected: '未通过',
};

/** A space with its slots as chips; the server says which can be booked now. */
function spaceCard(s: HallSpaceDay) {
  return {
    id: s.id,
    name: s.name,
    seats: s.seats,
    seatsText: t('{{n}} 座', { n: s.seats }),
    approval:
      s.approvalOver === null ? '' : t('超过 {{n}} 人的会议需服务馆审批', { n: s.approvalOver }),
    slots: s.slots.map((x) => ({
      start: x.start,
      ok: x.bookable,
      label: `${clock(x.start)} ${x.free > 0 ? t('余 {{n}}', { n: x.free }) : t('满')}`,
    })),
  };
}

function bookingCard(b: HallBooking) {
  return {
    id: b.id,
    title: `${b.spaceName} · ${when(b.start)}`,
    status: t(STATUS[b.status]),
    code: b.checkinCode ?? '',
    party: t('{{n}} 人', { n: b.partySize }),
    purpose: b.purpose,
    canCancel: b.status === 'confirmed' || b.status === 'pending_approval',
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    hallId: '',
    days: [] as string[],
    day: '',
    spaces: [] as ReturnType<typeof spaceCard>[],
    mine: [] as ReturnType<typeof bookingCard>[],
    picked: '',
    pickedSpace: '',
    start: '',
    partySize: 2,
    seatsLabel: '',
    purpose: '',
    busy: false,
    error: '',
  },
  methods: {
    onLoad() {
      const days = nextDays();
      // Tomorrow first, as the web app: today's slots are mostly gone.
      this.setData({ s: strings(S), elder: elder(), days, day: days[1]! });
      return this.load();
    },
    async load() {
      try {
        let hallId = this.data.hallId;
        if (!hallId) {
          const h = (await api.get<HallInfo[]>('/me/halls'))[0];
          if (!h) return;
          hallId = h.id;
        }
        const [spaces, mine] = await Promise.all([
          api.get<HallSpaceDay[]>(`/me/halls/${hallId}/spaces?day=${this.data.day}`),
          api.get<HallBooking[]>('/me/hall-bookings'),
        ]);
        this.setData({
          hallId,
          spaces: spaces.map(spaceCard),
          mine: mine.filter((b) => b.status !== 'cancelled').map(bookingCard),
          error: '',
        });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    pickDay(e: WechatMiniprogram.BaseEvent) {
      this.setData({ day: e.currentTarget.dataset['day'] as string, picked: '', pickedSpace: '' });
      return this.load();
    },
    pickSlot(e: WechatMiniprogram.BaseEvent) {
      const { space, start, ok } = e.currentTarget.dataset as {
        space: string;
        start: string;
        ok: boolean;
      };
      const sp = this.data.spaces.find((x) => x.id === space);
      if (!ok || !sp) return;
      this.setData({
        picked: `${space}@${start}`,
        pickedSpace: space,
        start,
        partySize: Math.min(2, sp.seats),
        seatsLabel: t('人数（最多 {{n}} 人）', { n: sp.seats }),
      });
    },
    party(e: WechatMiniprogram.BaseEvent) {
      const sp = this.data.spaces.find((x) => x.id === this.data.pickedSpace);
      const n = this.data.partySize + Number(e.currentTarget.dataset['step']);
      this.setData({ partySize: Math.max(1, Math.min(sp?.seats ?? 1, n)) });
    },
    onPurpose(e: WechatMiniprogram.Input) {
      this.setData({ purpose: e.detail.value });
    },
    async book() {
      if (!this.data.pickedSpace || this.data.busy) return;
      this.setData({ busy: true, error: '' });
      try {
        const b = await api.post<HallBooking>(`/me/hall-spaces/${this.data.pickedSpace}/bookings`, {
          start: this.data.start,
          partySize: this.data.partySize,
          purpose: this.data.purpose.trim(),
        });
        void wx.showModal({
          content:
            b.status === 'pending_approval'
              ? t('已提交，等待服务馆审批。签到码 {{code}}', { code: b.checkinCode })
              : t('预约成功，到馆出示签到码 {{code}}', { code: b.checkinCode }),
          showCancel: false,
          confirmText: t('知道了'),
          success: () => {},
        });
        this.setData({ picked: '', pickedSpace: '', purpose: '' });
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
    async cancel(e: WechatMiniprogram.BaseEvent) {
      try {
        await api.post(`/me/hall-bookings/${e.currentTarget.dataset['id'] as string}/cancel`);
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
  },
});
