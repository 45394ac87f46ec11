/**
 * The closed loop of a request (issue 16, Deliver 4):
 *
 *   received → dispatched → in_progress → replied → closed
 *                 ↑   ↓ forward / return        ↓ reopen (resident, 7 days)
 *               declined ←──────────────────  reopened
 *
 * Each step is a compare-and-set on the status in one transaction with its history row,
 * so two people acting at once cannot both win. A reply is required before closing.
 */
import type { Executor } from '../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { grantsOfUser, notifyResident } from '../identity/index.ts';
import { requireService } from './catalogue.service.ts';
import { type InstitutionGateway, OUTSIDE_PARTIES } from './institution.adapter.ts';
import type { Actor } from './need.events.ts';
import { step } from './need-step.service.ts';
import type { NeedRow, Party } from './need.types.ts';
import { resolveParty } from './routing.service.ts';
import { handOff } from './handoff.service.ts';
import { miniprogramPage } from '../../kernel/miniprogram-pages.ts';

/** A staff member acting on a request, and whether they speak for the community office. */
export interface StaffActor {
  userId: string;
  /** Holds an office role (community worker or above) covering the request. */
  office: boolean;
}

function mustBeAssigneeOrOffice(n: NeedRow, s: StaffActor): void {
  if (s.office || n.assignee_id === s.userId) return;
  throw new AppError(
    'forbidden',
    '只有承办人或社区办公室可以这样操作。Only the assignee or the community office may do this.',
  );
}
function mustBeOffice(s: StaffActor): void {
  if (!s.office)
    throw new AppError('forbidden', '需要社区办公室操作。Only the community office may do this.');
}
const staff = (s: StaffActor): Actor => ({ userId: s.userId, kind: 'staff' });
const reasonRequired = (r: string | undefined, what: string): string => {
  const t = r?.trim();
  if (!t) throw new AppError('bad_request', `请填写${what}的理由。A reason is required.`);
  return t;
};

/** The assignee (or the office) takes the request on. */
export async function accept(deps: AppDeps, id: string, s: StaffActor): Promise<NeedRow> {
  return step(deps, id, ['dispatched', 'reopened'], staff(s), 'accepted', async (n) => {
    mustBeAssigneeOrOffice(n, s);
    return {
      to: 'in_progress',
      patch: {
        responded_at: n.responded_at ?? iso(deps.clock.now()),
        assignee_id: n.assignee_id ?? s.userId,
      },
    };
  });
}

/** Where a request is forwarded or dispatched to. */
export interface Target {
  party: Party;
  assigneeId?: string | null;
  gridId?: string | null;
}

async function landing(trx: Executor, n: NeedRow, t: Target) {
  if (t.assigneeId) {
    const grants = await grantsOfUser(trx, t.assigneeId);
    const g = grants.find(
      (x) =>
        x.community_id === n.community_id &&
        ((x.role === 'grid_worker' && x.scope_kind === 'grid') || x.role === 'community_worker'),
    );
    if (!g)
      throw new AppError(
        'bad_request',
        '这个人不在本社区的网格员或社区工作者中。The assignee must be a grid worker or community worker of this community.',
      );
    const party: Party = g.role === 'grid_worker' ? 'grid_worker' : 'community_office';
    return {
      party,
      assignee_id: t.assigneeId,
      grid_id: g.role === 'grid_worker' ? g.scope_id : n.grid_id,
    };
  }
  const gridId = t.gridId ?? n.grid_id;
  const r = await resolveParty(trx, n.community_id, gridId, t.party);
  return { party: r.party, assignee_id: r.assigneeId, grid_id: gridId };
}

async function moveTo(
  deps: AppDeps,
  gateway: InstitutionGateway,
  trx: Executor,
  n: NeedRow,
  t: Target,
) {
  const l = await landing(trx, n, t);
  if (OUTSIDE_PARTIES.includes(l.party))
    await handOff(
      trx,
      deps,
      gateway,
      { ...n, party: l.party },
      await requireService(trx, n.service_code),
    );
  return l;
}

/** Pass the request on to someone else (reason recorded). */
export async function forward(
  deps: AppDeps,
  gateway: InstitutionGateway,
  id: string,
  s: StaffActor,
  t: Target,
  reason: string | undefined,
): Promise<NeedRow> {
  const why = reasonRequired(reason, '转交');
  return step(
    deps,
    id,
    ['dispatched', 'in_progress', 'reopened'],
    staff(s),
    'forwarded',
    async (n, trx) => {
      mustBeAssigneeOrOffice(n, s);
      const l = await moveTo(deps, gateway, trx, n, t);
      return {
        to: 'dispatched',
        patch: l,
        note: `${why} → ${l.party}${l.assignee_id ? `:${l.assignee_id}` : ''}`,
      };
    },
  );
}

/** The office (re)dispatches a received or returned request. */
export async function dispatch(
  deps: AppDeps,
  gateway: InstitutionGateway,
  id: string,
  s: StaffActor,
  t: Target,
): Promise<NeedRow> {
  return step(
    deps,
    id,
    ['received', 'dispatched', 'reopened'],
    staff(s),
    'dispatched',
    async (n, trx) => {
      mustBeOffice(s);
      const l = await moveTo(deps, gateway, trx, n, t);
      return {
        to: 'dispatched',
        patch: l,
        note: `${l.party}${l.assignee_id ? `:${l.assignee_id}` : ''}`,
      };
    },
  );
}

/** The assignee gives the request back to the office (not theirs), with a reason. */
export async function giveBack(
  deps: AppDeps,
  id: string,
  s: StaffActor,
  reason: string | undefined,
): Promise<NeedRow> {
  const why = reasonRequired(reason, '退回');
  return step(
    deps,
    id,
    ['dispatched', 'in_progress', 'reopened'],
    staff(s),
    'returned',
    async (n) => {
      if (n.assignee_id !== s.userId)
        throw new AppError('forbidden', 'Only the assignee can return a request.');
      return { to: 'received', patch: { party: 'community_office', assignee_id: null }, note: why };
    },
  );
}

/** Answer the resident (required before closing). */
export async function reply(
  deps: AppDeps,
  id: string,
  s: StaffActor,
  text: string,
): Promise<NeedRow> {
  const body = reasonRequired(text, '答复');
  const replied = await step(
    deps,
    id,
    ['dispatched', 'in_progress', 'reopened'],
    staff(s),
    'replied',
    async (n) => {
      mustBeAssigneeOrOffice(n, s);
      const at = iso(deps.clock.now());
      return {
        to: 'replied',
        patch: { reply: body, replied_at: at, responded_at: n.responded_at ?? at },
        note: body,
      };
    },
  ); // The resident hears of the answer (WeChat while they have a grant, else SMS); the reply
  // stands whether or not the message goes out.
  if (replied.requester_id)
    await notifyResident(deps, replied.requester_id, {
      topic: 'need_replied',
      sms: '【蚁巢】您向社区提交的诉求有了答复，请在“我的诉求”中查看并评价。',
      wechat: {
        page: miniprogramPage('needs', replied.id),
        data: { thing1: { value: '诉求已答复' }, thing2: { value: body.slice(0, 20) } },
      },
    }).catch(() => 'none');
  return replied;
}

/** Close a replied request. */
export async function close(
  deps: AppDeps,
  id: string,
  s: StaffActor,
  note?: string,
): Promise<NeedRow> {
  return step(
    deps,
    id,
    ['replied', 'in_progress', 'dispatched', 'reopened', 'received'],
    staff(s),
    'closed',
    async (n) => {
      mustBeAssigneeOrOffice(n, s);
      if (n.status !== 'replied' || !n.reply)
        throw conflict('请先答复居民再办结。Reply to the resident before closing the request.');
      return {
        to: 'closed',
        patch: { closed_at: iso(deps.clock.now()) },
        note: note?.trim() || null,
      };
    },
  );
}

/** The office declines a request that is not for the community (reason shown to the resident). */
export async function decline(
  deps: AppDeps,
  id: string,
  s: StaffActor,
  reason: string | undefined,
): Promise<NeedRow> {
  const why = reasonRequired(reason, '不予受理');
  return step(
    deps,
    id,
    ['received', 'dispatched', 'in_progress', 'reopened'],
    staff(s),
    'declined',
    async () => {
      mustBeOffice(s);
      const at = iso(deps.clock.now());
      return { to: 'declined', patch: { declined_at: at, reply: why, replied_at: at }, note: why };
    },
  );
}

/** Record the return visit (回访), optionally with the rating the resident gave by phone. */
export async function visit(
  deps: AppDeps,
  id: string,
  s: StaffActor,
  v: { note: string; rating?: number | undefined; comment?: string | undefined },
): Promise<NeedRow> {
  const note = reasonRequired(v.note, '回访记录');
  return step(deps, id, ['replied', 'closed'], staff(s), 'visited', async (n) => {
    mustBeAssigneeOrOffice(n, s);
    const at = iso(deps.clock.now());
    const rated = v.rating !== undefined && n.rating === null;
    return {
      to: n.status,
      patch: {
        visited_at: at,
        visit_note: note,
        ...(rated
          ? { rating: v.rating!, rating_comment: v.comment?.trim() || null, rated_at: at }
          : {}),
      },
      note: rated ? `${note} (rating ${v.rating})` : note,
    };
  });
}
