/**
 * Demo notices and activities across both communities (issue 15): a pinned notice, an
 * urgent one and an expired one; an activity that is full with a waiting list, one that
 * starts soon (its reminder texts go out on the first job run), a hall's own activity;
 * and the local social-security provider's records for the demo residents.
 */
import type { Executor } from '../db/database.ts';
import { iso, newId, SHANGHAI_OFFSET_MS } from '../platform/clock.ts';
import { normalizePhone } from '../platform/crypto/phone.ts';
import type { AppDeps } from '../platform/deps.ts';
import { findUserByPhoneHash, findUserByUsername } from '../modules/identity/index.ts';
import {
  insertActivity,
  insertNotice,
  insertSignup,
  upsertSocialSecurityRecord,
} from '../modules/notices/index.ts';
import { listAllCommunities, listCompounds, listHalls } from '../modules/places/index.ts';
import * as J from './jinquan.ts';

const H = 3600_000;
const D = 24 * H;

/**
 * Milliseconds from `now` to the first activity slot (09:30, 14:30 or 19:00 Beijing time) at
 * least `atLeast` away. The demo's activities used to start a fixed time after the first start,
 * whatever the hour, so a demo started in the evening offered haircuts at midnight and a
 * health check at 23:00. With `atLeast` an hour, a daytime start puts the slot within the
 * 3-hour reminder window, so the haircut's reminder SMS still shows at once.
 */
export function daytimeSlotIn(now: number, atLeast: number): number {
  const local = now + SHANGHAI_OFFSET_MS;
  const day = local - (local % D);
  // The earliest day that can hold it, and the next: its last slot may be too early, the
  // next day's first never is.
  const first = Math.floor(atLeast / D);
  const slots = [first, first + 1, first + 2].flatMap((d) =>
    [9.5, 14.5, 19].map((h) => day + d * D + h * H),
  );
  return slots.find((at) => at >= local + atLeast)! - local;
}

/** Seed the demo's notices, activities and social-security records (inside the seed's transaction). */
export async function seedNoticesDemo(trx: Executor, deps: AppDeps): Promise<void> {
  const now = deps.clock.now();
  const at = iso(now);
  const id = () => newId(deps.clock, deps.random);
  const communities = await listAllCommunities(trx);
  const byName = (name: string) => communities.find((c) => c.name === name)!;
  const qsh = byName(J.COMMUNITIES[0]!.name);
  const sx = byName(J.COMMUNITIES[1]!.name);
  const subdistrictId = qsh.subdistrict_id;
  const [qshCompound] = await listCompounds(trx, qsh.id);
  const [sxCompound] = await listCompounds(trx, sx.id);
  const halls = await listHalls(trx, [qsh.id]);
  const author = async (u: string) => (await findUserByUsername(trx, u))!.id;
  const resident = async (phone: string) =>
    (await findUserByPhoneHash(trx, deps.vault.hash(normalizePhone(phone))))!.id;

  const place = (c: { id: string } | null, compound: { id: string } | null) => ({
    scope_kind: compound
      ? ('compound' as const)
      : c
        ? ('community' as const)
        : ('subdistrict' as const),
    subdistrict_id: subdistrictId,
    community_id: c?.id ?? null,
    compound_id: compound?.id ?? null,
    hall_id: null,
  });
  const notice = async (
    where: ReturnType<typeof place>,
    by: string,
    title: string,
    body: string,
    o: { urgent?: boolean; pinnedUntil?: number; expiresAt?: number; createdAt?: number } = {},
  ) =>
    insertNotice(trx, {
      id: id(),
      ...where,
      title,
      body,
      urgent: o.urgent ? 1 : 0,
      pinned_until: o.pinnedUntil ? iso(o.pinnedUntil) : null,
      expires_at: o.expiresAt ? iso(o.expiresAt) : null,
      created_by: await author(by),
      created_at: iso(o.createdAt ?? now),
      updated_at: iso(o.createdAt ?? now),
    });

  await notice(
    place(null, null),
    'jq.officer',
    '2027年度城乡居民医保开始缴费',
    '2027 年度城乡居民基本医疗保险集中缴费期为即日起至 12 月 31 日。可在“天府市民云”、社区服务馆自助机或社区便民服务窗口办理。年满 60 周岁的老人可请网格员上门协助。',
    { pinnedUntil: now + 14 * D, expiresAt: now + 27 * D },
  );
  await notice(
    place(qsh, qshCompound!),
    'qsh.worker',
    '【紧急】清淳家园明日停水通知',
    '因市政管网维修，清淳家园 12 月 6 日 9:00–17:00 停水，请提前储水。如有独居老人需要帮助，请联系网格员。',
    { urgent: true, expiresAt: now + 2 * D },
  );
  await notice(
    place(qsh, null),
    'qsh.worker',
    '冬季燃气安全提示',
    '天冷开窗少，使用燃气热水器和取暖器时请保持通风，睡前关闭燃气阀门。发现燃气泄漏请勿开关电器，立即到室外拨打 96877。',
  );
  await notice(
    place(qsh, null),
    'qsh.worker',
    '国庆假期社区办公时间',
    '国庆期间社区便民服务窗口 10 月 1 日–7 日暂停办公，急事请联系服务馆前台。',
    { createdAt: now - 70 * D, expiresAt: now - 60 * D },
  );
  await notice(
    place(sx, sxCompound!),
    'sx.worker',
    '两河锦地电梯年检安排',
    '两河锦地 1–8 栋电梯将于下周二起逐栋年检，每栋约停运 2 小时，具体时间见单元门口公告。',
    { pinnedUntil: now + 5 * D, expiresAt: now + 10 * D },
  );
  await notice(
    place(sx, null),
    'sx.worker',
    '【紧急】寒潮降温提醒',
    '本周四起气温骤降 8℃，请关照家中老人和孩子添衣保暖；社区服务馆提供免费热水和休息区。',
    { urgent: true, expiresAt: now + 3 * D },
  );

  const activity = async (
    where: ReturnType<typeof place>,
    by: string,
    a: {
      title: string;
      description: string;
      location: string;
      startsIn: number;
      hours: number;
      capacity: number;
    },
    people: string[],
  ) => {
    const activityId = id();
    const seats = Math.min(people.length, a.capacity);
    await insertActivity(trx, {
      id: activityId,
      ...where,
      hall_id: by.endsWith('.hall') ? halls[0]!.id : null,
      title: a.title,
      description: a.description,
      location: a.location,
      starts_at: iso(now + a.startsIn),
      ends_at: iso(now + a.startsIn + a.hours * H),
      signup_closes_at: iso(now + a.startsIn),
      capacity: a.capacity,
      confirmed_count: seats,
      signup_seq: people.length,
      status: 'open',
      created_by: await author(by),
      created_at: at,
      updated_at: at,
    });
    for (const [i, phone] of people.entries())
      await insertSignup(trx, {
        id: id(),
        activity_id: activityId,
        user_id: await resident(phone),
        community_id: where.community_id,
        status: i < a.capacity ? 'confirmed' : 'waiting',
        seq: i + 1,
        created_at: at,
        updated_at: at,
        reminded_at: null,
      });
  };
  await activity(
    place(qsh, null),
    'qsh.worker',
    {
      title: '社区义诊：老年人健康体检',
      location: '清淳家园蚁巢服务馆 休息区',
      description:
        '金牛区人民医院医生到社区，免费测血压、血糖，提供用药咨询。名额有限，满员后可候补。',
      startsIn: daytimeSlotIn(now, 2 * D),
      hours: 3,
      capacity: 2,
    },
    ['13800000001', '13800000002', '13800000003'],
  );
  await activity(
    place(qsh, null),
    'qsh.hall',
    {
      title: '服务馆便民理发日',
      location: '清淳家园蚁巢服务馆',
      description: '志愿者理发师为 70 岁以上老人免费理发，行动不便可预约上门。',
      startsIn: daytimeSlotIn(now, H),
      hours: 2,
      capacity: 10,
    },
    ['13800000004'],
  );
  await activity(
    place(sx, null),
    'sx.worker',
    {
      title: '垃圾分类宣传志愿活动',
      location: '两河锦地 中心广场',
      description: '招募志愿者在投放点引导分类，送环保袋。适合亲子参加。',
      startsIn: daytimeSlotIn(now, 3 * D),
      hours: 2,
      capacity: 20,
    },
    ['13800000005'],
  );
  await activity(
    place(null, null),
    'jq.officer',
    {
      title: '防范电信诈骗讲座',
      location: '金泉街道 党群服务中心 二楼',
      description: '金泉派出所民警讲解最新诈骗手法，现场可安装国家反诈中心 App。',
      startsIn: daytimeSlotIn(now, 5 * D),
      hours: 1.5,
      capacity: 80,
    },
    [],
  );

  const months = ['2026-11', '2026-11', '2026-10', '2026-11', '2026-11', '2026-09'];
  for (const [i, r] of J.RESIDENTS.entries()) {
    const name = r.displayName;
    await upsertSocialSecurityRecord(trx, {
      phone_hash: deps.vault.hash(normalizePhone(r.phone)),
      insured_name: `${name[0]}*${name.length > 2 ? name.slice(-1) : ''}`,
      insured_place: '成都市金牛区',
      pension_status: i === 4 ? '未参保（学生）' : i % 3 === 0 ? '正常领取' : '正常缴费',
      pension_months: i === 4 ? 0 : 96 + i * 37,
      pension_balance_fen: i === 4 ? 0 : 4_218_650 + i * 1_313_370,
      medical_status: '正常参保',
      medical_balance_fen: 86_320 + i * 41_115,
      last_paid_month: months[i] ?? '2026-11',
      updated_at: at,
    });
  }
}
