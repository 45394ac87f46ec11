/**
 * The mini-program's core pages, built as WeChat DevTools would run them and rendered by
 * miniprogram-simulate, against a real demo node (HTTP, embedded broker, a locker agent on a
 * simulated cabinet with its screen): sign-in by SMS code (and by WeChat when the server has
 * the route), my parcels with code, QR, compartment and free-until, opening from the app and
 * scanning the locker screen's QR, a hall order paid and listed, and a need with a photo
 * submitted and tracked. Only `wx` is faked (network → the node, storage → a Map).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { until } from '../../test/harness.ts';
import { useMiniProgramNode } from './demo-node.ts';
import { openPage } from './simulate.ts';

const ZHANG = '13800000001'; // 张阿姨, 清淳家园 1栋1单元, standing consent
const L = 'jinquan-0001';
// The WeChat sign-in routes arrive with the server half of issue 20 (branch h20s).
const here = (p: string) => fs.existsSync(path.resolve(import.meta.dirname, '../../src', p));
const WECHAT_ROUTES = here('modules/identity/wechat/wechat.routes.ts');
const SENDING_ROUTES = here('modules/parcels/sending/sending.routes.ts');

describe('the mini-program against a demo node', () => {
  const n = useMiniProgramNode({ lockerId: L, screen: true });
  const { mine } = n;
  const depositFor = async (phone: string, waybill: string) =>
    (await n.storeParcel(phone, waybill)).compartment;

  it('signs in by SMS code: the code the node sent, then the home page greets the resident by name', async () => {
    n.wx.storage.clear();
    const p = await openPage(n.dir, 'login');
    n.shots.push({ name: 'login', page: 'login', html: p.html() });
    await p.tap('#sms-only');
    await p.input('#phone', '138 0000 0001');
    await p.tap('#send');
    await p.until('code sent', (d) => d.sentTo === ZHANG);
    await p.input('#code', '000000');
    await p.tap('#submit');
    await p.until('a wrong code refused', (d) => d.error);
    expect(p.data().error).toBe('验证码不正确或已过期');
    await n.w.server.parcels.idle();
    const code = [...n.w.sms]
      .reverse()
      .find((m) => m.to === ZHANG)!
      .text.match(/\d{6}/)![0];
    await p.input('#code', code);
    await p.tap('#submit');
    await until('home', async () => n.wx.navigations.at(-1) === '/pages/index/index');
    const session = n.wx.storage.get('antnest.resident.session') as { accessToken: string };
    expect(session.accessToken).toMatch(/^ey/);
    const home = await openPage(n.dir, 'index');
    await home.until('greeting', (d) => d.name);
    expect(home.text()).toContain('您好，张阿姨');
    n.shots.push({ name: 'home', page: 'index', html: home.html() });
    // The token is the resident's own: the node answers /me with her.
    expect(n.wx.requests).toContain('GET /api/v1/me');
  });

  it("turns elder mode on for the account and switches to English with the web apps' strings", async () => {
    const home = await openPage(n.dir, 'index');
    await home.until('greeting', (d) => d.name);
    expect(home.html()).not.toContain('main--elder');
    await home.trigger('#elder', 'change', { value: true });
    await home.until('elder', (d) => d.elder);
    expect(home.html()).toContain('main--elder');
    expect(await mine<{ elderMode: boolean }>('/me/settings')).toMatchObject({ elderMode: true });
    const parcels = await openPage(n.dir, 'parcels');
    expect(parcels.html()).toContain('main--elder');
    await home.trigger('#lang', 'change', { value: true });
    await home.until('English', (d) => d.lang === 'en');
    expect(home.text()).toContain('My parcels');
    await home.trigger('#lang', 'change', { value: false });
    await home.trigger('#elder', 'change', { value: false });
    await home.until('elder off', (d) => !d.elder);
    expect(await mine<{ elderMode: boolean }>('/me/settings')).toMatchObject({ elderMode: false });
  });

  it.runIf(WECHAT_ROUTES)(
    'signs in with WeChat: a new WeChat user binds by the phone button, the next n.wx.login signs straight in',
    async () => {
      n.wx.storage.clear();
      n.wx.wechatName = 'zhang-mp-test';
      const p = await openPage(n.dir, 'login');
      await p.tap('#wechat');
      await p.until('asked for a phone', (d) => d.step === 'bind');
      expect(n.wx.storage.get('antnest.resident.session')).toBeUndefined();
      const inst = p.comp.instance as unknown as {
        onPhoneNumber(e: { detail: { code?: string } }): Promise<void>;
      };
      await inst.onPhoneNumber({ detail: { code: `demo-phone:${ZHANG}` } });
      await until('home', async () => n.wx.navigations.at(-1) === '/pages/index/index');
      const first = n.wx.storage.get('antnest.resident.session') as { userId: string };
      n.wx.storage.clear();
      const again = await openPage(n.dir, 'login');
      const before = n.wx.navigations.length;
      await again.tap('#wechat');
      await until('home again', async () => n.wx.navigations.length > before);
      expect(again.data().step).toBe('start');
      expect((n.wx.storage.get('antnest.resident.session') as { userId: string }).userId).toBe(
        first.userId,
      );
    },
  );

  it('lists my waiting parcel with code, QR, compartment and free-until, and opens it from the app', async () => {
    const compartment = await depositFor(ZHANG, 'ZTO5500660011');
    const p = await openPage(n.dir, 'parcels');
    const card = await p.until('a waiting parcel', (d) => d.waiting[0]);
    expect(card).toMatchObject({ compartment, status: '待取件', canOpen: true });
    expect(card.code).toMatch(/^\d{8}$/);
    expect(card.qr).toMatch(/^data:image\/gif;base64,/);
    expect(card.freeUntil).toMatch(/^\d\d\/\d\d \d\d:\d\d$/);
    expect(p.text()).toContain(card.code);
    expect(p.text()).toContain('免费保管至');
    // The simulator keeps <image src> as a property; the screenshot shows the page's own QR.
    n.shots.push({
      name: 'parcels',
      page: 'parcels',
      html: p
        .html()
        .replace(
          /<wx-image class="main--qr"><\/wx-image>/,
          `<img class="main--qr" src="${card.qr}">`,
        ),
    });
    const relays = n.w.bus.relayCount(compartment);
    n.wx.confirm = true;
    await p.tap('.open');
    await p.until('opened', (d) => d.result);
    expect(n.wx.modals.at(-1)).toContain(`${compartment} 号格口`);
    await until('the door opened', async () => n.w.bus.relayCount(compartment) > relays);
    n.w.bus.setOccupied(compartment, false);
    n.w.bus.closeDoor(compartment);
    await until('picked up', async () => {
      const list = await mine<{ parcelId: string; status: string }[]>('/me/parcels?include=recent');
      return list.find((x) => x.parcelId === card.id)?.status === 'picked_up';
    });
  });

  it("scans the locker screen's QR with n.wx.scanCode: every parcel of mine there opens; a stale QR is refused", async () => {
    const c1 = await depositFor(ZHANG, 'ZTO5500660022');
    const c2 = await depositFor(ZHANG, 'ZTO5500660033');
    const p = await openPage(n.dir, 'parcels');
    await p.until('two waiting', (d) => d.waiting.length === 2);
    n.wx.scan = 'not-a-locker-qr';
    await p.tap('#scan');
    await p.until('refused', (d) => d.error);
    expect(p.data().error).toBe('二维码无效或已过期，请重新扫描柜机屏幕');
    // The screen shows a QR once the cloud has sent the locker its screen key.
    n.wx.scan = await until('the screen QR', async () => {
      const qr = (await (await fetch(new URL('/api/qr', n.w.agent.screenUrl))).json()) as {
        text: string;
      };
      return qr.text;
    });
    await p.tap('#scan');
    const result = await p.until('opened', (d) => d.result as string);
    expect(result).toContain(String(c1));
    expect(result).toContain(String(c2));
    await until(
      'both doors open',
      async () => n.w.bus.door(c1) === 'open' && n.w.bus.door(c2) === 'open',
    );
    n.wx.scan = null;
    for (const c of [c1, c2]) {
      n.w.bus.setOccupied(c, false);
      n.w.bus.closeDoor(c);
    }
  });

  it('shares a waiting parcel with family by phone (masked in the list) and takes the share back', async () => {
    await depositFor(ZHANG, 'ZTO5500660044');
    const list = await openPage(n.dir, 'parcels');
    const card = await list.until('a waiting parcel', (d) => d.waiting[0]);
    await list.tap('.share');
    expect(n.wx.navigations.at(-1)).toBe(`/pages/share/index?parcel=${card.id}`);
    const p = await openPage(n.dir, 'share', { parcel: card.id });
    await p.input('#phone', '12345');
    await p.tap('#add');
    expect(p.data().error).toBe('请输入正确的手机号');
    await p.input('#phone', '138-0000-0002');
    await p.tap('#add');
    await p.until('shared', (d) => d.shares.length === 1 || d.error);
    expect(p.text()).toContain('138****0002');
    expect(p.text()).not.toContain('13800000002');
    const shares = await mine<{ shareId: string }[]>(`/me/parcels/${card.id}/shares`);
    expect(shares).toHaveLength(1);
    await p.tap('.remove');
    await p.until('taken back', (d) => d.shares.length === 0);
    expect(await mine(`/me/parcels/${card.id}/shares`)).toEqual([]);
  });

  it('changes how my parcels reach me (the delivery preference the node keeps)', async () => {
    const p = await openPage(n.dir, 'delivery');
    await p.until('loaded', (d) => d.mode);
    expect(p.data().mode).toBe('locker');
    expect(p.text()).toContain('没有等待同意的投递');
    await p.tap('.mode', 1);
    await p.until('saved', (d) => d.mode === 'ask_first');
    expect(await mine('/me/delivery-preferences')).toMatchObject({ defaultMode: 'ask_first' });
    n.shots.push({ name: 'delivery', page: 'delivery', html: p.html() });
    await p.tap('.mode', 0);
    await p.until('back', (d) => d.mode === 'locker');
    expect(await mine('/me/delivery-preferences')).toMatchObject({ defaultMode: 'locker' });
  });

  it('orders from the hall: the cart, the total, paid, and the order listed with its code', async () => {
    const p = await openPage(n.dir, 'hall');
    await p.until('catalogue', (d) => d.items.length > 0);
    expect(p.text()).toContain(p.data().hall ? (p.data().hall as { name: string }).name : '?');
    const [a] = p.data().items as { id: string; priceFen: number; name: string }[];
    await p.tap('.plus', 0);
    await p.tap('.plus', 0);
    await p.until('in the cart', (d) => d.count === 2);
    expect(p.data().total).toBe(((a!.priceFen * 2) / 100).toFixed(2));
    n.shots.push({ name: 'hall', page: 'hall', html: p.html() });
    const before = (p.data().orders as unknown[]).length;
    await p.tap('#pay');
    await p.until('ordered', (d) => (d.orders.length === before + 1 && d.count === 0) || d.error);
    expect(p.data().error).toBe('');
    expect(n.wx.toasts.at(-1)).toBe('支付成功');
    const [order] = await mine<
      {
        code: string;
        totalFen: number;
        status: string;
        lines: { itemId: string; quantity: number }[];
      }[]
    >('/me/hall-orders');
    expect(order!.lines).toEqual([expect.objectContaining({ itemId: a!.id, quantity: 2 })]);
    expect(order!.totalFen).toBe(a!.priceFen * 2);
    expect(order!.status).toBe('paid');
    expect((p.data().orders as { code: string }[])[0]!.code).toBe(order!.code);
    n.shots.push({ name: 'hall-ordered', page: 'hall', html: p.html() });
  });

  it('submits a need with a photo and follows it in my requests', async () => {
    const p = await openPage(n.dir, 'needs');
    await p.until('catalogue', (d) => d.services.length > 0);
    const before = (p.data().needs as unknown[]).length;
    const services = p.data().catalogue as { code: string; attributes: { required: boolean }[] }[];
    const i = services.findIndex((s) => !s.attributes.some((a) => a.required));
    expect(i).toBeGreaterThanOrEqual(0);
    (p.comp.instance as unknown as { pickService(e: object): void }).pickService({
      detail: { value: String(i) },
    });
    await p.tap('#submit');
    await p.until('refused', (d) => d.error);
    expect(p.data().error).toBe('请描述您遇到的问题');
    await p.input('#description', '楼道灯坏了，晚上看不见台阶');
    // A JPEG's magic bytes are enough for the node's type check.
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(600, 7)]);
    n.wx.files.set('wxfile://tmp_stairs.jpg', jpeg);
    n.wx.media.push('wxfile://tmp_stairs.jpg');
    await p.tap('#photos');
    await p.until('photo uploaded', (d) => d.photos.length === 1 || d.error);
    expect(p.data().photos).toHaveLength(1);
    n.shots.push({ name: 'needs', page: 'needs', html: p.html() });
    await p.tap('#submit');
    await p.until('listed', (d) => d.needs.length === before + 1 || d.error);
    expect(p.data().error).toBe('');
    expect(n.wx.toasts.at(-1)).toBe('已提交，社区会尽快处理');
    const needs = await mine<{
      items: { serviceCode: string; description: string; photoIds: string[]; status: string }[];
    }>('/me/needs');
    const mineNow = needs.items.find((n) => n.description === '楼道灯坏了，晚上看不见台阶');
    expect(mineNow).toMatchObject({
      serviceCode: services[i]!.code,
      description: '楼道灯坏了，晚上看不见台阶',
    });
    expect(['received', 'dispatched']).toContain(mineNow!.status);
    expect(mineNow!.photoIds).toHaveLength(1);
    expect(p.data().needs).toContainEqual(
      expect.objectContaining({
        description: '楼道灯坏了，晚上看不见台阶',
        status: mineNow!.status === 'received' ? '待派单' : '已派单',
      }),
    );
  });

  it.runIf(WECHAT_ROUTES)(
    'asks for WeChat reminders with n.wx.requestSubscribeMessage and records what the resident allowed',
    async () => {
      const before = await mine<{ templates: { templateId: string; remaining: number }[] }>(
        '/me/wechat/subscriptions',
      );
      const [first, second] = before.templates;
      n.wx.subscribe = { [first!.templateId]: 'accept', [second!.templateId]: 'reject' };
      const home = await openPage(n.dir, 'index');
      await home.tap('#remind');
      await until('recorded', async () => n.wx.toasts.at(-1)?.includes('微信提醒'));
      const after = await mine<typeof before>('/me/wechat/subscriptions');
      const left = (id: string, list: typeof before) =>
        list.templates.find((x) => x.templateId === id)!.remaining;
      expect(left(first!.templateId, after)).toBe(left(first!.templateId, before) + 1);
      expect(left(second!.templateId, after)).toBe(left(second!.templateId, before));
    },
  );

  it.runIf(SENDING_ROUTES)(
    'sends a parcel: addresses, a quote from the tariff table, paid, the compartment opens and the parcel goes in',
    async () => {
      const p = await openPage(n.dir, 'send');
      await p.until('tariffs', (d) => d.tariffs.length > 0 || d.error);
      expect(p.data().error).toBe('');
      const fields: Record<string, string> = {
        senderName: '张阿姨',
        senderPhone: ZHANG,
        senderAddress: '清淳家园1栋1单元302',
        recipientName: '王小明',
        recipientPhone: '139 0000 1234',
        province: '上海市',
        city: '上海市',
        district: '浦东新区',
        recipientAddress: '世纪大道100号',
      };
      for (const [k, v] of Object.entries(fields)) await p.input(`#f-${k}`, v);
      const lockerIndex = (p.data().lockers as { id: string }[]).findIndex((l) => l.id === L);
      expect(lockerIndex).toBeGreaterThanOrEqual(0);
      await p.trigger('#locker', 'change', { value: String(lockerIndex) });
      await p.tap('#quote');
      const quote = await p.until('quoted', (d) => d.quote || d.error);
      expect(p.data().error).toBe('');
      const carrier = (
        p.data().tariffs as { prices: { weightBand: string; size: string; priceFen: number }[] }[]
      )[0]!;
      const band = (p.data().bands as string[])[0];
      const size = (p.data().sizes as { code: string }[])[0]!.code;
      const price = carrier.prices.find((x) => x.weightBand === band && x.size === size)!;
      expect(quote.priceFen).toBe(price.priceFen);
      n.shots.push({ name: 'send', page: 'send', html: p.html() });
      await p.tap('#pay');
      const result = await p.until('paid and opened', (d) => d.result || d.error);
      expect(p.data().error).toBe('');
      const [order] = await mine<
        {
          id: string;
          status: string;
          compartment: number;
          priceFen: number;
          recipient: { phone: string };
        }[]
      >('/me/sending/orders');
      expect(order).toMatchObject({ status: 'awaiting_drop', priceFen: price.priceFen });
      expect(result).toContain(`${order!.compartment} 号格口已打开`);
      await until('door open', async () => n.w.bus.door(order!.compartment) === 'open');
      n.w.bus.setOccupied(order!.compartment, true);
      n.w.bus.closeDoor(order!.compartment);
      await until('in the locker', async () => {
        const [o] = await mine<{ status: string }[]>('/me/sending/orders');
        return o!.status === 'in_locker';
      });
    },
  );
});
