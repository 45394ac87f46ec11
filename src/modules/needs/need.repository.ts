/** SQL of requests and their history. */
import type { Executor } from '../../db/database.ts';
import type { NeedEventTable, NeedStatus, NeedTable } from './need.table.ts';

export type NeedRow = NeedTable;
export type NeedEventRow = NeedEventTable;

/** Statuses in which a request still waits on the community (the clock runs). */
export const OPEN_STATUSES: readonly NeedStatus[] = [
  'received',
  'dispatched',
  'in_progress',
  'reopened',
];

/** Store a new request. */
export async function insertNeed(db: Executor, row: NeedRow): Promise<void> {
  await db.insertInto('needs').values(row).execute();
}

/** One request by id. */
export async function findNeed(db: Executor, id: string): Promise<NeedRow | undefined> {
  return db.selectFrom('needs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One request by its Open311 token. */
export async function findByToken(db: Executor, token: string): Promise<NeedRow | undefined> {
  return db.selectFrom('needs').selectAll().where('token', '=', token).executeTakeFirst();
}

/**
 * Change a request only if it is still in one of `from` (a compare-and-set: two staff acting
 * at once cannot both win); true when it changed.
 */
export async function updateNeedIf(
  db: Executor,
  id: string,
  from: readonly NeedStatus[],
  patch: Partial<Omit<NeedRow, 'id'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('needs')
    .set(patch)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Record one step of a request's history, numbered after the last one. */
export async function insertEvent(db: Executor, row: Omit<NeedEventRow, 'seq'>): Promise<void> {
  const last = await db
    .selectFrom('need_events')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('need_id', '=', row.need_id)
    .executeTakeFirst();
  await db
    .insertInto('need_events')
    .values({ ...row, seq: Number(last?.m ?? 0) + 1 })
    .execute();
}

/** A request's history, oldest first. */
export async function eventsOf(db: Executor, needId: string): Promise<NeedEventRow[]> {
  return db
    .selectFrom('need_events')
    .selectAll()
    .where('need_id', '=', needId)
    .orderBy('seq')
    .execute();
}

/** What a list of requests is filtered by; every field narrows. */
export interface NeedFilter {
  requesterId?: string;
  /** Requests inside these communities, or grids, or taken in at these halls (OR of the three); undefined = no place limit. */
  places?: { communities: string[]; grids: string[]; halls: string[] };
  communityId?: string;
  gridId?: string;
  assigneeId?: string;
  statuses?: readonly NeedStatus[];
  serviceCodes?: readonly string[];
  /** Open requests whose deadline passed before this instant. */
  overdueAt?: string;
  receivedFrom?: string;
  receivedTo?: string;
  updatedAfter?: string;
  ids?: readonly string[];
  limit: number;
  offset: number;
  order?: 'received_desc' | 'due_asc';
}

/** Requests matching the filter. */
export async function listNeeds(db: Executor, f: NeedFilter): Promise<NeedRow[]> {
  let q = db.selectFrom('needs').selectAll();
  if (f.requesterId) q = q.where('requester_id', '=', f.requesterId);
  if (f.places) {
    const { communities, grids, halls } = f.places;
    q = q.where((w) =>
      w.or([
        ...(communities.length ? [w('community_id', 'in', communities)] : []),
        ...(grids.length ? [w('grid_id', 'in', grids)] : []),
        ...(halls.length ? [w('hall_id', 'in', halls)] : []),
        w.lit(false),
      ]),
    );
  }
  if (f.communityId) q = q.where('community_id', '=', f.communityId);
  if (f.gridId) q = q.where('grid_id', '=', f.gridId);
  if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
  if (f.statuses?.length) q = q.where('status', 'in', [...f.statuses]);
  if (f.serviceCodes?.length) q = q.where('service_code', 'in', [...f.serviceCodes]);
  if (f.overdueAt)
    q = q.where('due_at', '<', f.overdueAt).where('status', 'in', [...OPEN_STATUSES]);
  if (f.receivedFrom) q = q.where('received_at', '>=', f.receivedFrom);
  if (f.receivedTo) q = q.where('received_at', '<', f.receivedTo);
  if (f.updatedAfter) q = q.where('updated_at', '>=', f.updatedAfter);
  if (f.ids) q = f.ids.length ? q.where('id', 'in', [...f.ids]) : q.where((w) => w.lit(false));
  q =
    f.order === 'due_asc'
      ? q.orderBy('due_at').orderBy('id')
      : q.orderBy('received_at', 'desc').orderBy('id', 'desc');
  return q.limit(f.limit).offset(f.offset).execute();
}

/** Recent requests of the same person, service and place (the duplicate guard's candidates). */
export async function recentSimilar(
  db: Executor,
  who: { requesterId: string | null; phoneHash: string | null },
  serviceCode: string,
  place: { unitId: string | null; address: string | null; communityId: string },
  since: string,
): Promise<NeedRow[]> {
  if (!who.requesterId && !who.phoneHash) return [];
  let q = db
    .selectFrom('needs')
    .selectAll()
    .where('service_code', '=', serviceCode)
    .where('community_id', '=', place.communityId)
    .where('received_at', '>=', since)
    .where('status', '<>', 'declined');
  q = q.where((w) =>
    w.or([
      ...(who.requesterId ? [w('requester_id', '=', who.requesterId)] : []),
      ...(who.phoneHash ? [w('phone_hash', '=', who.phoneHash)] : []),
    ]),
  );
  q = place.unitId ? q.where('unit_id', '=', place.unitId) : q.where('unit_id', 'is', null);
  return q.limit(20).execute();
}

/** Open requests whose warning time has come and that were never escalated. */
export async function dueForEscalation(
  db: Executor,
  now: string,
  limit: number,
): Promise<NeedRow[]> {
  return db
    .selectFrom('needs')
    .selectAll()
    .where('escalated_at', 'is', null)
    .where('warn_at', '<=', now)
    .where('status', 'in', [...OPEN_STATUSES])
    .orderBy('warn_at')
    .limit(limit)
    .execute();
}

/** Mark a request escalated unless another node already did (the exactly-once step); true when this call won. */
export async function claimEscalation(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('needs')
    .set({ escalated_at: at })
    .where('id', '=', id)
    .where('escalated_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** What a dashboard rollup needs of one request step: the step and the request's type. */
export interface NeedStepFacts {
  eventId: string;
  at: string;
  communityId: string;
  serviceCode: string;
  action: string;
  fromStatus: string | null;
  note: string | null;
  /** The unit the request is about, when it names one (analytics counts it in the unit's compound). */
  unitId: string | null;
}

const stepColumns = [
  'e.id as eventId',
  'e.at',
  'e.community_id as communityId',
  'n.service_code as serviceCode',
  'e.action',
  'e.from_status as fromStatus',
  'e.note',
  'n.unit_id as unitId',
] as const;

/** One request step with its request's type (read in the step's transaction). */
export async function needStepFacts(
  db: Executor,
  eventId: string,
): Promise<NeedStepFacts | undefined> {
  return db
    .selectFrom('need_events as e')
    .innerJoin('needs as n', 'n.id', 'e.need_id')
    .select(stepColumns)
    .where('e.id', '=', eventId)
    .executeTakeFirst();
}

/** Every request step after `afterId` in id order, a page at a time (rollup rebuilds). */
export async function needStepsPage(
  db: Executor,
  afterId: string,
  limit: number,
): Promise<NeedStepFacts[]> {
  return db
    .selectFrom('need_events as e')
    .innerJoin('needs as n', 'n.id', 'e.need_id')
    .select(stepColumns)
    .where('e.id', '>', afterId)
    .orderBy('e.id')
    .limit(limit)
    .execute();
}
