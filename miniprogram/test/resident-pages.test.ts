/**
 * The mini-program's resident pages beyond the core loop (pages.test.ts), built and rendered
 * by miniprogram-simulate against a real demo node: answering a courier's consent request on
 * the delivery page, rating a closed request, an expired session sending the resident back to
 * sign-in, notices with an activity sign-up, the fund's public page. Only `wx` is faked.
 */
import { iso } from '../../src/platform/clock.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../test/harness.ts';
import { SESSION, useMiniProgramNode } from './demo-node.ts';
import { openPage } from './simulate.ts';

const ZHANG = '13800000001'; // 张阿姨, 清淳家园 1栋1单元
const L = 'jinquan-0001';

describe('more mini-program pages against a demo node', () => {
  const n = useMiniProgramNode({ lockerId: L });
  const { mine } = n;
  beforeAll(async () => signIn(ZHANG));

  /** Sign in by SMS code over HTTP and keep the session where the mini-program keeps it. */
  async function signIn(phone: string): Promise<void> {
    const post = (url: string, body: object) =>
      fetch(`${n.w.server.httpUrl}/api/v1${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/auth/otp', { phone })).status).toBe(202);
    await n.w.server.parcels.idle();
    const code = [...n.w.sms]
      .reverse()
      .find((m) => m.to === phone)!
      .text.match(/\d{6}/)![0];
    const r = await post('/auth/otp/verify', { phone, code });
    expect(r.status).toBe(200);
    n.wx.storage.set(SESSION, await r.json());
  }

  /** A courier of ZTO asks 张阿姨 before using the locker; returns the request's id. */
  async function ask(waybill: string): Promise<string> {
    const r = await n.w.api('courier.zto', 'POST', '/couriers/consent-requests', {
      recipientPhone: ZHANG,
      lockerId: L,
      waybill,
    });
    expect(r.statusCode).toBe(201);
    return (r.json() as { id: string }).id;
  }

  it("accepts one courier's consent request and declines another on the delivery page", async () => {
    const yes = await ask('ZTO7700880011');
    const no = await ask('ZTO7700880022');
    const p = await openPage(n.dir, 'delivery');
    await p.until('two pending', (d) => d.consents.length === 2);
    expect(p.text()).toContain('****0011');
    expect(p.text()).toContain('****0022');
    expect(p.text()).not.toContain('没有等待同意的投递');
    n.shots.push({ name: 'delivery-consent', page: 'delivery', html: p.html() });
    const ids = (p.data().consents as { id: string }[]).map((c) => c.id);
    // Each card has its accept button then its decline button.
    await p.tap('.consent .btn', ids.indexOf(yes) * 2);
    await p.until('one left', (d) => d.consents.length === 1);
    await p.tap('.consent .btn', 1);
    await p.until('none left', (d) => d.consents.length === 0);
    const all = await mine<{ id: string; status: string }[]>('/me/consent-requests');
    expect(all.find((c) => c.id === yes)?.status).toBe('accepted');
    expect(all.find((c) => c.id === no)?.status).toBe('declined');
    const courier = await n.w.api('courier.zto', 'GET', `/couriers/consent-requests/${yes}`);
    expect(courier.json()).toMatchObject({ status: 'accepted' });
    expect(p.text()).toContain('没有等待同意的投递');
  });

  it('rates a request the community replied to and closed; its stars go away', async () => {
    const { services } = await mine<{
      services: { code: string; active: boolean; attributes: { required: boolean }[] }[];
    }>('/needs/services');
    const svc = services.find((s) => s.active && !s.attributes.some((a) => a.required))!;
    const s = n.wx.storage.get(SESSION) as { accessToken: string };
    const created = await fetch(`${n.w.server.httpUrl}/api/v1/me/needs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${s.accessToken}`,
        'content-type': 'application/json',
        'idempotency-key': 'mp-rate-need-1',
      },
      body: JSON.stringify({
        serviceCode: svc.code,
        description: '单元门禁坏了，刷卡没反应',
        attributes: {},
        photoIds: [],
      }),
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    const reply = await n.w.api('qsh.worker', 'POST', `/needs/${id}/reply`, {
      reply: '物业已更换门禁读卡器。',
    });
    expect(reply.statusCode).toBe(200);
    expect((await n.w.api('qsh.worker', 'POST', `/needs/${id}/close`, {})).statusCode).toBe(200);

    const p = await openPage(n.dir, 'needs');
    await p.until('listed', (d) => d.needs.some((n: { id: string }) => n.id === id));
    const i = (p.data().needs as { id: string }[]).findIndex((n) => n.id === id);
    expect((p.data().needs as { canRate: boolean; reply: string }[])[i]).toMatchObject({
      canRate: true,
      reply: '物业已更换门禁读卡器。',
    });
    // Five stars a rateable card: the 4th star of this card.
    const rateableBefore = (p.data().needs as { canRate: boolean }[])
      .slice(0, i)
      .filter((n) => n.canRate).length;
    await p.tap('.star', rateableBefore * 5 + 3);
    await p.until('rated', (d) => d.needs[i].canRate === false || d.error);
    expect(p.data().error).toBe('');
    expect(n.wx.toasts.at(-1)).toBe('感谢您的评价');
    const need = await mine<{ rating: number | null; status: string }>(`/me/needs/${id}`);
    expect(need).toMatchObject({ rating: 4, status: 'closed' });
  });

  it('sends the resident back to sign-in when the server no longer takes the session', async () => {
    const good = n.wx.storage.get(SESSION) as { accessToken: string; refreshToken: string };
    n.wx.storage.set(SESSION, {
      ...good,
      accessToken: 'ey.revoked',
      refreshToken: 'no-such-token',
    });
    const before = n.wx.navigations.length;
    const p = await openPage(n.dir, 'delivery');
    await p.until('refused', (d) => d.error);
    await until('to sign-in', async () => n.wx.navigations.length > before);
    expect(n.wx.navigations.at(-1)).toBe('/pages/login/index?expired=1');
    expect(n.wx.storage.get(SESSION)).toBeUndefined();
    const login = await openPage(n.dir, 'login', { expired: '1' });
    expect(login.text()).toContain('登录已过期，请重新登录');
    // Later tests go on with the session the node still takes.
    n.wx.storage.set(SESSION, good);
  });

  /** POST as the signed-in resident. */
  async function send(method: 'POST' | 'DELETE', url: string, body?: object): Promise<Response> {
    const s = n.wx.storage.get(SESSION) as { accessToken: string };
    return fetch(`${n.w.server.httpUrl}/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${s.accessToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  }

  it('shows the notices of my places, opens one, signs me up to an activity and cancels it', async () => {
    const p = await openPage(n.dir, 'notices');
    await p.until('loaded', (d) => d.loaded || d.error);
    expect(p.data().error).toBe('');
    const api = await mine<{ id: string; title: string; body: string }[]>('/me/notices');
    expect(api.length).toBeGreaterThan(0);
    expect((p.data().notices as { id: string }[]).map((n) => n.id)).toEqual(api.map((n) => n.id));
    expect(p.text()).toContain(api[0]!.title);
    expect(p.text()).not.toContain(api[0]!.body);
    await p.tap('.notice', 0);
    expect(p.text()).toContain(api[0]!.body);
    const cards = p.data().activities as { id: string; title: string; action: string }[];
    const haircut = cards.findIndex((a) => a.title === '服务馆便民理发日');
    expect(cards[haircut]!.action).toBe('signup');
    // The only activity already mine is the health check (seeded); its button is 取消报名.
    const signupIndex = cards.slice(0, haircut).filter((a) => a.action === 'signup').length;
    await p.tap('.signup', signupIndex);
    await p.until('signed up', (d) => d.activities[haircut].action === 'cancel' || d.error);
    expect(p.data().error).toBe('');
    expect(n.wx.toasts.at(-1)).toBe('报名成功');
    const id = cards[haircut]!.id;
    const after = await mine<{ id: string; mine: { status: string } | null }[]>('/me/activities');
    expect(after.find((a) => a.id === id)?.mine).toMatchObject({ status: 'confirmed' });
    expect(p.text()).toContain('已报名');
    n.shots.push({ name: 'notices', page: 'notices', html: p.html() });
    const cancelIndex = (p.data().activities as { action: string }[])
      .slice(0, haircut)
      .filter((a) => a.action === 'cancel').length;
    n.wx.confirm = true;
    await p.tap('.cancel', cancelIndex);
    await p.until('cancelled', (d) => d.activities[haircut].action === 'signup' || d.error);
    expect(n.wx.modals.at(-1)).toBe('取消报名「服务馆便民理发日」？');
    const gone = await mine<{ id: string; mine: unknown }[]>('/me/activities');
    expect(gone.find((a) => a.id === id)?.mine).toBeNull();
  });

  it("shows my community's fund: balance, income, and a project with its budget and status", async () => {
    const me = await mine<{ grants: { role: string; communityId: string | null }[] }>('/me');
    const community = me.grants.find((g) => g.role === 'resident')!.communityId!;
    const proposed = await send('POST', `/communities/${community}/fund/proposals`, {
      title: '楼前长椅',
      description: '在1栋门口放两张长椅，老人取快递时可以歇脚。',
      budgetFen: 120000,
    });
    expect(proposed.status).toBe(201);
    const p = await openPage(n.dir, 'fund');
    await p.until('loaded', (d) => d.fund || d.error);
    expect(p.data().error).toBe('');
    const pub = (await (
      await fetch(`${n.w.server.httpUrl}/api/v1/public/communities/${community}/fund`)
    ).json()) as { communityName: string; balanceFen: number; income: unknown[] };
    expect(p.text()).toContain(pub.communityName);
    const fund = p.data().fund as { balance: string; income: unknown[]; projects: unknown[] };
    expect(fund.balance).toBe((pub.balanceFen / 100).toFixed(2));
    expect(fund.income).toHaveLength(pub.income.length);
    expect(fund.projects).toContainEqual(
      expect.objectContaining({ title: '楼前长椅', budget: '1200.00', status: '征集中' }),
    );
    expect(p.text()).toContain('楼前长椅 · ¥1200.00');
    n.shots.push({ name: 'fund', page: 'fund', html: p.html() });
  });

  it('books a service by appointment: a service, a day, a free slot, paid, and the appointment on my order', async () => {
    const p = await openPage(n.dir, 'service');
    await p.until('services', (d) => d.services.length > 0 || d.error);
    expect(p.data().error).toBe('');
    await p.tap('.service', 0);
    const svc = (p.data().services as { id: string; name: string; priceFen: number }[])[0]!;
    const slotsNow = async () =>
      (
        await mine<{ slots: { start: string; free: number }[] }>(
          `/me/halls/${p.data().hallId}/services/${svc.id}/slots?day=${p.data().day}`,
        )
      ).slots;
    // Tomorrow: today's slots may all be past on a late run. Wait for tomorrow's own slots:
    // `slotsLoaded` may still hold from today's list (a run at 00:06 in Beijing read today's).
    const day0 = p.data().day;
    await p.tap('.day', 1);
    await p.until('day 1', (d) => d.day !== day0 && d.slotsLoaded);
    const before = await slotsNow();
    await p.until(
      'slots of day 1',
      (d) =>
        (d.slots as { start: string }[]).length === before.length &&
        (d.slots as { start: string }[]).every((x, i) => x.start === before[i]!.start),
    );
    const slots = p.data().slots as { start: string; end: string; ok: boolean }[];
    const at = slots.findIndex((x) => x.ok);
    expect(at).toBeGreaterThanOrEqual(0);
    await p.tap('.slot', at);
    expect(p.data().slot).toBe(slots[at]!.start);
    n.shots.push({ name: 'service', page: 'service', html: p.html() });
    await p.tap('#book');
    await p.until('booked', (d) => (!d.busy && d.slot === '') || d.error);
    expect(p.data().error).toBe('');
    expect(n.wx.toasts.at(-1)).toBe('支付成功');
    const orders = await mine<
      {
        status: string;
        totalFen: number;
        lines: { itemId: string; appointment: { start: string; status: string } | null }[];
      }[]
    >('/me/hall-orders');
    const order = orders.find((o) =>
      o.lines.some((l) => l.itemId === svc.id && l.appointment?.start === slots[at]!.start),
    );
    expect(order).toMatchObject({ status: 'paid', totalFen: svc.priceFen });
    const after = await slotsNow();
    const free = (list: { start: string; free: number }[]) =>
      list.find((x) => x.start === slots[at]!.start)!.free;
    expect(free(after)).toBe(free(before) - 1);
    await p.until('listed', (d) => d.appointments.length > 0);
    expect(p.text()).toContain(svc.name);
  });

  it('joins a group buy with a quantity of 3 and pays for 3', async () => {
    const p = await openPage(n.dir, 'groupbuy');
    await p.until('buys', (d) => d.buys.length > 0 || d.error);
    expect(p.data().error).toBe('');
    const i = (p.data().buys as { open: boolean }[]).findIndex((b) => b.open);
    const b = (p.data().buys as { id: string; priceFen: number; title: string }[])[i]!;
    const openBefore = (p.data().buys as { open: boolean }[]).slice(0, i).filter((x) => x.open);
    expect(openBefore).toHaveLength(0);
    await p.tap('.plus', 0);
    await p.tap('.plus', 0);
    expect((p.data().buys as object[])[i]).toMatchObject({
      qty: 3,
      total: ((b.priceFen * 3) / 100).toFixed(2),
    });
    // Collected at the hall instead of the door locker.
    expect(p.data().fulfilment).toBe('locker');
    await p.tap('.choice', 1);
    expect(p.data().fulfilment).toBe('pickup');
    n.shots.push({ name: 'groupbuy', page: 'groupbuy', html: p.html() });
    n.wx.confirm = true;
    const toasts = n.wx.toasts.length;
    await p.tap('.join', 0);
    await until('joined', async () => n.wx.toasts.length > toasts || p.data().error);
    expect(p.data().error).toBe('');
    expect(n.wx.modals.at(-1)).toContain(`${b.title} × 3`);
    expect(n.wx.toasts.at(-1)).toBe('参团成功');
    const [hall] = await mine<{ id: string }[]>('/me/halls');
    const buys = await mine<{ id: string; mine: { quantity: number; fulfilment: string }[] }[]>(
      `/me/halls/${hall!.id}/group-buys`,
    );
    // 张阿姨 may have joined before (the demo seeds joins): this join is the one of 3.
    expect(buys.find((x) => x.id === b.id)!.mine).toContainEqual(
      expect.objectContaining({ quantity: 3, fulfilment: 'pickup' }),
    );
    await p.until('shown', (d) => d.buys[i].mine);
  });

  it('books the meeting room tomorrow for 4 people, shows the check-in code, and cancels', async () => {
    const p = await openPage(n.dir, 'booking');
    await p.until('spaces', (d) => d.spaces.length > 0 || d.error);
    expect(p.data().error).toBe('');
    const spaces = p.data().spaces as { id: string; name: string; slots: { ok: boolean }[] }[];
    const room = spaces.findIndex((x) => x.name === '议事会议室');
    expect(room).toBeGreaterThanOrEqual(0);
    const before = spaces.slice(0, room).reduce((n, x) => n + x.slots.length, 0);
    const at = spaces[room]!.slots.findIndex((x) => x.ok);
    expect(at).toBeGreaterThanOrEqual(0);
    await p.tap('.slot', before + at);
    expect(p.data().pickedSpace).toBe(spaces[room]!.id);
    await p.tap('.plus', 0);
    await p.tap('.plus', 0);
    expect(p.data().partySize).toBe(4);
    await p.input('#purpose', '1栋楼栋议事');
    const modals = n.wx.modals.length;
    const mineBefore = (p.data().mine as unknown[]).length;
    await p.tap('#book');
    await p.until('booked', (d) => d.mine.length > mineBefore || d.error);
    expect(p.data().error).toBe('');
    expect(n.wx.modals.length).toBe(modals + 1);
    const b = (
      await mine<
        {
          id: string;
          spaceId: string;
          partySize: number;
          purpose: string;
          status: string;
          checkinCode: string;
        }[]
      >('/me/hall-bookings')
    ).find((x) => x.purpose === '1栋楼栋议事');
    expect(b).toMatchObject({ spaceId: spaces[room]!.id, partySize: 4, purpose: '1栋楼栋议事' });
    expect(b!.checkinCode).toBeTruthy();
    expect(n.wx.modals.at(-1)).toContain(b!.checkinCode);
    expect(p.text()).toContain(b!.checkinCode);
    n.shots.push({ name: 'booking', page: 'booking', html: p.html() });
    const cards = p.data().mine as { id: string; canCancel: boolean }[];
    const nth = cards.filter((c) => c.canCancel).findIndex((c) => c.id === b!.id);
    await p.tap('.cancel', nth);
    await p.until('cancelled', (d) => d.mine.length === mineBefore || d.error);
    const gone = await mine<{ id: string; status: string }[]>('/me/hall-bookings');
    expect(gone.find((x) => x.id === b!.id)).toMatchObject({ status: 'cancelled' });
  });

  it("leaves something in a locker for a neighbour: the compartment opens, the neighbour's phone masked in my list", async () => {
    const p = await openPage(n.dir, 'neighbour');
    await p.until('lockers', (d) => d.lockers.length > 0 || d.error);
    expect(p.data().error).toBe('');
    const at = (p.data().lockers as { id: string }[]).findIndex((l) => l.id === L);
    await p.trigger('#locker', 'change', { value: String(at) });
    await p.input('#phone', '12345');
    await p.tap('#deposit');
    expect(p.data().error).toBe('请输入正确的手机号');
    await p.input('#phone', '138 0000 0002');
    await p.tap('#deposit');
    const result = await p.until('opened', (d) => d.result || d.error);
    expect(p.data().error).toBe('');
    const sent =
      await mine<{ kind: string; lockerId: string; compartment: number; recipientPhone: string }[]>(
        '/me/sent',
      );
    const mineNow = sent.find((x) => x.kind === 'neighbour' && x.lockerId === L)!;
    expect(mineNow.recipientPhone).toBe('138****0002');
    expect(result).toBe(`${mineNow.compartment} 号格口已打开，放好后请关门`);
    await until('door open', async () => n.w.bus.door(mineNow.compartment) === 'open');
    await p.until('listed', (d) => d.sent.length > 0);
    expect(p.text()).toContain('寄存给 138****0002');
    expect(p.text()).not.toContain('13800000002');
    n.shots.push({ name: 'neighbour', page: 'neighbour', html: p.html() });
    n.w.bus.setOccupied(mineNow.compartment, true);
    n.w.bus.closeDoor(mineNow.compartment);
  });

  it('shows the overdue fee of a parcel past its free storage and pays it in the app', async () => {
    const me = await mine<{ grants: { role: string; communityId: string | null }[] }>('/me');
    const community = me.grants.find((g) => g.role === 'resident')!.communityId!;
    const policy = await n.w.api('admin', 'PUT', `/communities/${community}/overdue-policy`, {
      freeHours: 24,
      reminderHoursBefore: 3,
      action: 'capped_fee',
      feePerDayFen: 150,
      feeCapFen: 300,
      retentionDays: 7,
    });
    expect(policy.statusCode).toBe(200);
    const { parcelId } = await n.storeParcel(ZHANG, 'ZTO8800990011');
    // Free storage ended 25 hours ago: two started days at ¥1.50, capped at ¥3.00.
    await n.w.server.database.db
      .updateTable('parcels')
      .set({ free_until: iso(Date.now() - 25 * 3_600_000) })
      .where('id', '=', parcelId)
      .execute();
    const p = await openPage(n.dir, 'parcels');
    const card = await p.until('the fee', (d) =>
      (d.waiting as { id: string; owedFen: number }[]).find((c) => c.id === parcelId && c.owedFen),
    );
    expect(card).toMatchObject({ owedFen: 300, fee: '超时保管费 ¥3.00' });
    n.shots.push({ name: 'parcels-fee', page: 'parcels', html: p.html() });
    const nth = (p.data().waiting as { id: string; owedFen: number }[])
      .filter((c) => c.owedFen)
      .findIndex((c) => c.id === parcelId);
    await p.tap('.pay-fee', nth);
    await until('paid', async () => n.wx.toasts.at(-1) === '已缴费，可以取件了' || p.data().error);
    expect(p.data().error).toBe('');
    expect(await mine(`/me/parcels/${parcelId}/fee`)).toMatchObject({
      status: 'paid',
      settledFen: 300,
    });
    await p.until('settled', (d) =>
      (d.waiting as { id: string; fee: string }[]).some(
        (c) => c.id === parcelId && c.fee === '超时保管费已缴 ¥3.00',
      ),
    );
  });

  it('draws every new page in elder mode when the account has it on', async () => {
    n.wx.storage.set('antnest.elder', true);
    try {
      for (const name of ['notices', 'fund', 'service', 'groupbuy', 'booking', 'neighbour']) {
        const p = await openPage(n.dir, name);
        expect(p.html(), name).toContain('main--elder');
      }
    } finally {
      n.wx.storage.set('antnest.elder', false);
    }
  });
});
