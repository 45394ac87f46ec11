/**
 * The demo's living hall (issue 15): both halls stocked across every category, their
 * rest-area tables and meeting room, a running group buy that neighbours already joined,
 * a few bookings and service appointments, so `npm start` shows a hall in use.
 */
import type { Trx } from '../db/database.ts';
import * as spaces from '../modules/hall/booking.repository.ts';
import { slotKey, weekKey, weekOf } from '../modules/hall/booking.policy.ts';
import type { Category } from '../modules/hall/catalogue-categories.ts';
import * as catalogue from '../modules/hall/catalogue.repository.ts';
import * as groupbuys from '../modules/hall/groupbuy.repository.ts';
import { postSale } from '../modules/hall/ledger.service.ts';
import * as payments from '../modules/hall/payment.repository.ts';
import { iso, newId } from '../platform/clock.ts';
import { seedAppointments } from './hall-appointments.ts';
import type { AppDeps } from '../platform/deps.ts';

/** A service's appointment settings: slot minutes, places per slot, own hours (null: the hall's), at the resident's unit. */
type Slots = [number, number, string | null, boolean];
type Stocked = [Category, string, string, number, string, number | null, Slots?];

/** What each demo hall offers: category, name, description, price (fen), unit, stock (null: a service). */
export const DEMO_ITEMS: readonly Stocked[] = [
  ['fruit', '爱媛果冻橙', '四川眉山产，当季现摘，约 2.5 斤装', 2980, '箱', 24],
  ['fruit', '红富士苹果', '脆甜多汁，约 3 斤', 1590, '袋', 30],
  ['fruit', '香蕉', '海南香蕉，约 2 斤', 690, '把', 6],
  ['produce', '本地土鸡蛋', '30 枚装，农户直供', 3600, '盒', 18],
  ['produce', '时令青菜', '当日到货，约 1 斤', 450, '份', 40],
  ['produce', '新鲜猪肉（前腿）', '约 1 斤，当日分切', 1680, '份', 12],
  ['grocery', '金龙鱼大米 5kg', '东北长粒香', 4290, '袋', 15],
  ['grocery', '洗衣液 2kg', '低泡易漂', 3290, '瓶', 4],
  ['snacks', '纯牛奶 250ml×12', '整箱', 4800, '箱', 10],
  ['snacks', '矿泉水 550ml×24', '整箱', 2400, '箱', 20],
  [
    'medical',
    '陪诊服务（半天）',
    '专人陪同挂号、取药、检查，社区医院或华西',
    12000,
    '次',
    null,
    [240, 2, '08:00-16:00', false],
  ],
  [
    'medical',
    '上门测血压血糖',
    '社区护士上门，附健康档案记录',
    2000,
    '次',
    null,
    [30, 2, '09:00-11:30', true],
  ],
  [
    'housekeeping',
    '家政保洁 2 小时',
    '持证保洁员，自带工具',
    9000,
    '次',
    null,
    [120, 3, null, true],
  ],
  [
    'laundry',
    '洗衣上门取送',
    '衣物 5 件起，48 小时送回',
    3500,
    '次',
    null,
    [60, 4, '09:00-19:00', true],
  ],
  ['repair', '水电维修上门', '检查费，材料另计', 3000, '次', null, [60, 2, null, true]],
  [
    'meals',
    '长者午餐',
    '两荤一素一汤，在服务馆助餐点用餐',
    1200,
    '份',
    null,
    [30, 20, '11:00-13:00', false],
  ],
  ['printing', '打印复印', 'A4 黑白，按页计', 50, '页', null],
  ['bills', '水电气代缴', '柜台代缴，不收手续费', 0, '次', null],
  ['parcels', '寄快递', '柜台代寄，价格按快递公司', 0, '次', null],
];

/** Stock both halls, open their spaces, start a group buy and book a few slots. */
export async function seedDemoHall(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
): Promise<void> {
  const id = () => newId(deps.clock, deps.random);
  const now = deps.clock.now();
  const at = iso(now);
  const halls = await trx
    .selectFrom('halls')
    .select(['id', 'community_id', 'name'])
    .orderBy('name')
    .execute();
  const residents = await trx
    .selectFrom('role_grants')
    .select(['user_id', 'scope_id', 'community_id'])
    .where('role', '=', 'resident')
    .orderBy('user_id')
    .execute();
  for (const [n, hall] of halls.entries()) {
    await catalogue.saveProfile(trx, {
      hall_id: hall.id,
      community_id: hall.community_id,
      phone: n === 0 ? '028-8761 2301' : '028-8761 2302',
      intro:
        '社区综合服务馆：生鲜果蔬、日用百货、陪诊家政、打印缴费，下单可送到您家单元门口的智能柜。',
      updated_at: at,
    });
    await catalogue.insertItems(
      trx,
      DEMO_ITEMS.map(([category, name, description, price, unit, stock, slots]) => ({
        id: id(),
        hall_id: hall.id,
        community_id: hall.community_id,
        kind: stock === null ? ('service' as const) : ('product' as const),
        category,
        name,
        description,
        price_fen: price,
        unit,
        stock,
        low_stock: stock === null ? 0 : 5,
        photos: '[]',
        active: 1,
        slot_minutes: slots?.[0] ?? null,
        slot_capacity: slots?.[1] ?? null,
        slot_hours: slots?.[2] ?? null,
        at_home: slots?.[3] ? 1 : 0,
        created_at: at,
        updated_at: at,
      })),
    );
    const tables = id();
    const room = id();
    await spaces.insertSpaces(trx, [
      {
        id: tables,
        hall_id: hall.id,
        community_id: hall.community_id,
        name: '休息区茶桌',
        kind: 'table',
        capacity: 4,
        seats: 6,
        approval_over: null,
        slot_minutes: 60,
        open_hour: 9,
        close_hour: 21,
        created_at: at,
      },
      {
        id: room,
        hall_id: hall.id,
        community_id: hall.community_id,
        name: '议事会议室',
        kind: 'meeting_room',
        capacity: 1,
        seats: 20,
        approval_over: 10,
        slot_minutes: 120,
        open_hour: 9,
        close_hour: 21,
        created_at: at,
      },
    ]);
    const neighbours = residents.filter((r) => r.community_id === hall.community_id);
    await seedGroupBuy(trx, deps, hall, neighbours, now);
    await seedAppointments(trx, deps, hall, neighbours);
    // Tomorrow's tea at 15:00 (Shanghai) for the first two neighbours.
    const tomorrow15 =
      Math.floor((now + 8 * 3_600_000) / 86_400_000) * 86_400_000 + 86_400_000 + 7 * 3_600_000;
    for (const [k, r] of neighbours.slice(0, 2).entries()) {
      const start = iso(tomorrow15);
      await spaces.takeCounter(trx, slotKey(tables, start), 4);
      await spaces.takeCounter(trx, weekKey(hall.id, r.user_id, weekOf(tomorrow15)), 3);
      await spaces.insertBooking(trx, {
        id: id(),
        space_id: tables,
        hall_id: hall.id,
        community_id: hall.community_id,
        user_id: r.user_id,
        slot_start: start,
        slot_end: iso(tomorrow15 + 3_600_000),
        party_size: 3 + k,
        purpose: k === 0 ? '老友喝茶' : '棋牌活动',
        status: 'confirmed',
        checkin_code: String(deps.random.int(1_000_000)).padStart(6, '0'),
        created_at: at,
      });
    }
  }
}

async function seedGroupBuy(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  hall: { id: string; community_id: string },
  neighbours: { user_id: string; scope_id: string }[],
  now: number,
) {
  const id = () => newId(deps.clock, deps.random);
  const at = iso(now);
  const buy: groupbuys.GroupBuyRow = {
    id: id(),
    hall_id: hall.id,
    community_id: hall.community_id,
    title: '攀枝花凯特芒果团购',
    description: '产地直发，5 斤装；满 20 箱成团，未成团自动原路退款。',
    category: 'fruit',
    price_fen: 5900,
    unit: '箱',
    target_qty: 20,
    joined_qty: 0,
    deadline: iso(now + 3 * 86_400_000),
    status: 'open',
    proposed_by: neighbours[0]?.user_id ?? 'hall',
    proposer_kind: 'hall',
    settled_at: null,
    created_at: at,
  };
  await groupbuys.insertGroupBuy(trx, buy);
  for (const [k, r] of neighbours.slice(0, 3).entries()) {
    const quantity = k + 1;
    const joinId = id();
    await groupbuys.insertJoin(trx, {
      id: joinId,
      group_buy_id: buy.id,
      community_id: hall.community_id,
      user_id: r.user_id,
      unit_id: r.scope_id,
      quantity,
      fulfilment: 'locker',
      status: 'paid',
      created_at: at,
    });
    const paymentId = id();
    const payment: payments.PaymentRow = {
      id: paymentId,
      community_id: hall.community_id,
      subject_kind: 'group_join',
      subject_id: joinId,
      user_id: r.user_id,
      provider: 'local',
      provider_ref: `local-${paymentId}`,
      amount_fen: buy.price_fen * quantity,
      refunded_fen: 0,
      status: 'paid',
      created_at: at,
      paid_at: at,
    };
    await payments.insertPayment(trx, payment);
    // Paid money is in the ledger like any settled payment, so a failed buy can refund it.
    await postSale(trx, deps, payment);
    await groupbuys.addJoined(trx, buy.id, quantity, at);
  }
}
