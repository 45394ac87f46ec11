/**
 * Residents' needs in the demo (issue 16): in both communities, requests in every state —
 * received (returned by the grid), dispatched, in progress, replied, closed and rated,
 * declined, reopened, overdue and escalated, a walk-in at the hall desk, an urgent hazard —
 * made by the module's own services at past times, so the worklists and rates show a lived-in week.
 */
import type { Clock } from '../platform/clock.ts';
import type { Phone } from '../platform/crypto/phone.ts';
import type { AppDeps } from '../platform/deps.ts';
import {
  findUserByPhoneHash,
  findUserByUsername,
  grantsOfUser,
} from '../modules/identity/index.ts';
import {
  fileNeed,
  LocalInstitutionGateway,
  needLifecycle as life,
  rateNeed,
  reopenNeed,
  sweepEscalations,
} from '../modules/needs/index.ts';
import { findHall, listAllCommunities } from '../modules/places/index.ts';

const H = 3600_000;
const D = 24 * H;

type Step =
  | ['accept' | 'close']
  | ['reply' | 'return' | 'decline' | 'reopen' | 'visit', string]
  | ['rate', number, string];

interface Scenario {
  resident: number;
  daysAgo: number;
  service: string;
  attributes?: Record<string, string>;
  description: string;
  /** Steps, each some hours after the previous one. */
  steps: [number, ...Step][];
  desk?: { name: string; phone: string };
}

const SCENARIOS: Scenario[] = [
  {
    resident: 0,
    daysAgo: 12,
    service: 'repair',
    attributes: { facility: 'lights' },
    description: '1栋1单元三楼楼道灯不亮，晚上上下楼看不清。',
    steps: [
      [2, 'accept'],
      [20, 'reply', '物业已更换灯泡，请您看看是否正常。'],
      [4, 'close'],
      [3, 'rate', 5, '换得很快，谢谢！'],
      [20, 'visit', '电话回访，居民满意。'],
    ],
  },
  {
    resident: 1,
    daysAgo: 9,
    service: 'sanitation',
    attributes: { kind: 'clutter' },
    description: '楼道里堆了旧家具，占了消防通道一半。',
    steps: [
      [3, 'accept'],
      [30, 'reply', '已联系住户清走旧家具。'],
      [2, 'close'],
      [5, 'rate', 3, '清了，但拖了一天多。'],
    ],
  },
  {
    resident: 2,
    daysAgo: 4,
    service: 'elderly_help',
    attributes: { help_kind: 'medicine', preferred_time: '上午' },
    description: '老伴腿脚不便，想请人帮忙去社区医院拿降压药。',
    steps: [
      [1, 'accept'],
      [6, 'reply', '网格员明天上午 10 点送药上门。'],
    ],
  },
  {
    resident: 0,
    daysAgo: 2,
    service: 'noise',
    attributes: { source: 'renovation', when: '中午 12 点到 2 点' },
    description: '隔壁单元装修中午也在打电钻，老人没法午休。',
    steps: [[4, 'accept']],
  },
  {
    resident: 1,
    daysAgo: 0.1,
    service: 'policy',
    attributes: { topic: '居住证明' },
    description: '请问开居住证明需要带哪些材料？',
    steps: [],
  },
  {
    resident: 2,
    daysAgo: 1,
    service: 'dispute',
    attributes: { other_party: '楼上住户' },
    description: '楼上空调外机滴水到我家阳台，沟通了几次没解决。',
    steps: [[5, 'return', '涉及两栋楼，属于相邻网格，请社区统一协调。']],
  },
  {
    resident: 0,
    daysAgo: 6,
    service: 'property',
    attributes: { topic: 'fees' },
    description: '物业费比去年涨了，想了解依据。',
    steps: [[6, 'decline', '物业收费标准由业委会与物业合同约定，请向业委会咨询，社区可协助联系。']],
  },
  {
    resident: 1,
    daysAgo: 5,
    service: 'repair',
    attributes: { facility: 'door' },
    description: '单元门禁刷卡没反应。',
    steps: [
      [2, 'accept'],
      [10, 'reply', '已报物业维修。'],
      [1, 'close'],
      [40, 'reopen', '门禁还是时好时坏。'],
    ],
  },
  {
    resident: 2,
    daysAgo: 24,
    service: 'suggestion',
    description: '建议在小区中庭增加几张长椅，方便老人休息。',
    steps: [[30, 'accept']],
  },
  {
    resident: 0,
    daysAgo: 0.05,
    service: 'safety_hazard',
    attributes: { hazard: 'wires' },
    description: '地下车库入口有电线裸露，下雨天很危险。',
    steps: [],
  },
  {
    resident: 0,
    daysAgo: 0.5,
    service: 'social_security',
    attributes: { topic: 'pension' },
    description: '想咨询养老金资格认证怎么办理。',
    steps: [],
    desk: { name: '刘大爷', phone: '13612340001' },
  },
];

const RESIDENT_PHONES: Record<string, string[]> = {
  qsh: ['13800000001', '13800000002', '13800000003'],
  sx: ['13800000005', '13800000006', '13800000005'],
};

const at = (ms: number): Clock => ({ now: () => ms });

/** File and move the demo requests; called once after the demo world is seeded. */
export async function seedDemoNeeds(deps: AppDeps): Promise<number> {
  const gateway = new LocalInstitutionGateway();
  const communities = await listAllCommunities(deps.db);
  const now = deps.clock.now();
  let made = 0;
  for (const key of ['qsh', 'sx'] as const) {
    const office = await findUserByUsername(deps.db, `${key}.worker`);
    const hallUser = await findUserByUsername(deps.db, `${key}.hall`);
    if (!office || !hallUser) continue;
    for (const [i, s] of SCENARIOS.entries()) {
      const phone = RESIDENT_PHONES[key]![s.resident]! as Phone;
      const resident = await findUserByPhoneHash(deps.db, deps.vault.hash(phone));
      if (!resident) continue;
      let t = now - s.daysAgo * D - (key === 'sx' ? 3 * H : 0) - i * 60_000;
      const d = () => ({ ...deps, clock: at(t) });
      let hallId: string | null = null;
      if (s.desk) {
        const grants = await grantsOfUser(deps.db, hallUser.id);
        hallId = grants.find((g) => g.role === 'hall_staff')?.scope_id ?? null;
      }
      const hall = hallId ? await findHall(deps.db, hallId) : undefined;
      const homeGrant = (await grantsOfUser(deps.db, resident.id)).find(
        (g) => g.role === 'resident',
      );
      const n = await fileNeed(d(), gateway, {
        channel: s.desk ? 'desk' : i % 4 === 3 ? 'kiosk' : 'app',
        serviceCode: s.service,
        description: s.description,
        attributes: s.attributes ?? {},
        unitId: homeGrant?.scope_id ?? null,
        communityId: homeGrant?.community_id ?? communities[0]!.id,
        hallId: hall?.id ?? null,
        requesterId: s.desk ? null : resident.id,
        requesterPhoneHash: s.desk ? null : resident.phone_hash,
        contactName: s.desk ? s.desk.name : resident.display_name,
        contactPhone: s.desk ? (s.desk.phone as Phone) : phone,
        enteredBy: s.desk ? hallUser.id : null,
        actor: s.desk
          ? { userId: hallUser.id, kind: 'staff' }
          : { userId: resident.id, kind: 'resident' },
      });
      made++;
      const actor = { userId: n.assignee_id ?? office.id, office: n.assignee_id === null };
      for (const [hours, ...step] of s.steps) {
        t += hours * H;
        if (t > now) t = now - 60_000;
        if (step[0] === 'accept') await life.accept(d(), n.id, actor);
        else if (step[0] === 'close') await life.close(d(), n.id, actor);
        else if (step[0] === 'reply') await life.reply(d(), n.id, actor, step[1]);
        else if (step[0] === 'return') await life.giveBack(d(), n.id, actor, step[1]);
        else if (step[0] === 'decline')
          await life.decline(d(), n.id, { userId: office.id, office: true }, step[1]);
        else if (step[0] === 'visit')
          await life.visit(d(), n.id, { userId: office.id, office: true }, { note: step[1] });
        else if (step[0] === 'reopen') await reopenNeed(d(), n.id, resident.id, step[1]);
        else await rateNeed(d(), n.id, resident.id, step[1] as number, step[2]);
      }
    }
  }
  // Requests past their warning time reach the community office, as on a running node.
  await sweepEscalations(deps);
  return made;
}
