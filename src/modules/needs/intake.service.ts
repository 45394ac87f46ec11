/**
 * One intake for every channel (app, hall desk, kiosk, Open311): check the service and its
 * form, find the place, refuse duplicates and floods, compute the deadline, route, store the
 * request with its history and photos in one transaction, hand it to an outside
 * institution when it is theirs, and text the assignee at once when it is urgent.
 */
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { Phone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import { findCommunity, placePath } from '../places/index.ts';
import { checkAttributes, deadlineOf, requireService, type Service } from './catalogue.service.ts';
import { type InstitutionGateway, OUTSIDE_PARTIES } from './institution.adapter.ts';
import { type Actor, recordEvent, textStaff } from './need.events.ts';
import * as repo from './need.repository.ts';
import type { Channel, NeedRow } from './need.types.ts';
import * as photos from './photo.repository.ts';
import { officeOf, routeNeed } from './routing.service.ts';
import { handOff } from './handoff.service.ts';

/** Longest description (Open311 clients are told the same). */
export const MAX_DESCRIPTION = 4000;
/** A second request within this many hours that looks the same is refused as a duplicate. */
export const DUPLICATE_HOURS = 24;
/** Descriptions at least this similar (character-bigram Dice) count as the same. */
export const DUPLICATE_SIMILARITY = 0.6;

/** Everything a channel hands to intake. */
export interface IntakeInput {
  channel: Channel;
  serviceCode: string;
  description: string;
  attributes: Readonly<Record<string, string | string[]>>;
  unitId?: string | null;
  /** The community (Open311 jurisdiction) when there is no unit. */
  communityId?: string | null;
  address?: string | null;
  lat?: number | null;
  long?: number | null;
  hallId?: string | null;
  photoIds?: readonly string[];
  /** The signed-in resident, or the account found by the walk-in's phone. */
  requesterId?: string | null;
  /** The requester's own phone hash (signed-in residents). */
  requesterPhoneHash?: string | null;
  contactName?: string | null;
  contactPhone?: Phone | null;
  enteredBy?: string | null;
  open311Client?: string | null;
  actor: Actor;
}

function bigrams(s: string): Map<string, number> {
  const t = s.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
  const m = new Map<string, number>();
  for (let i = 0; i < Math.max(1, t.length - 1); i++) {
    const g = t.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Dice similarity of two texts over character bigrams (0–1), punctuation and spaces ignored. */
export function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let both = 0;
  let total = 0;
  for (const [g, n] of x) {
    both += Math.min(n, y.get(g) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return total === 0 ? 0 : (2 * both) / total;
}

async function locate(db: Executor, i: IntakeInput) {
  if (i.unitId) {
    const p = await placePath(db, 'unit', i.unitId);
    if (!p?.community)
      throw new AppError('not_found', '找不到这个单元。That unit was not found; pick it again.');
    return { communityId: p.community, gridId: p.grid ?? null, unitId: i.unitId };
  }
  const hasWhere = Boolean(i.address?.trim()) || (i.lat != null && i.long != null);
  if (!i.communityId || !hasWhere)
    throw new AppError(
      'bad_request',
      '请说明地点。A location is required: a unit (address_id), or the community (jurisdiction_id) with an address or lat/long.',
    );
  if (!(await findCommunity(db, i.communityId)))
    throw new AppError('not_found', `No community (jurisdiction) "${i.communityId}".`);
  return { communityId: i.communityId, gridId: null, unitId: null };
}

async function refuseDuplicate(
  db: Executor,
  now: number,
  i: IntakeInput,
  s: Service,
  where: { communityId: string; unitId: string | null },
  phoneHash: string | null,
) {
  const recent = await repo.recentSimilar(
    db,
    { requesterId: i.requesterId ?? null, phoneHash },
    s.code,
    { ...where, address: i.address ?? null },
    iso(now - DUPLICATE_HOURS * 3600_000),
  );
  const same = recent.find((r) => similarity(r.description, i.description) >= DUPLICATE_SIMILARITY);
  if (same)
    throw new AppError(
      'conflict',
      `${DUPLICATE_HOURS} 小时内已提交过相同的诉求（${same.id.slice(-6)}），请在“我的诉求”里查看进度。A similar request (${same.id}) was filed in the last ${DUPLICATE_HOURS} hours; follow that one instead.`,
    );
}

/** File a request from any channel; returns the stored row. */
export async function fileNeed(
  deps: AppDeps,
  gateway: InstitutionGateway,
  i: IntakeInput,
): Promise<NeedRow> {
  const description = i.description.trim();
  if (!description) throw new AppError('bad_request', '请描述您的诉求。The description is empty.');
  if (description.length > MAX_DESCRIPTION)
    throw new AppError(
      'bad_request',
      `描述不能超过 ${MAX_DESCRIPTION} 字。The description is longer than ${MAX_DESCRIPTION} characters.`,
    );
  const result = await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const service = await requireService(trx, i.serviceCode);
    const attributes = checkAttributes(service, i.attributes);
    const where = await locate(trx, i);
    const phoneHash = i.contactPhone
      ? deps.vault.hash(i.contactPhone)
      : (i.requesterPhoneHash ?? null);
    const subject = phoneHash ?? (i.requesterId ? `user:${i.requesterId}` : null);
    if (subject) await hitLimits(trx, deps.clock, [limit('needsPerPhoneDay', subject)]);
    await refuseDuplicate(trx, now, i, service, where, phoneHash);
    const d = await deadlineOf(trx, service.deadlineClass, now);
    const route = await routeNeed(trx, {
      ...where,
      serviceCode: service.code,
      responsible: service.responsible,
    });
    const row: NeedRow = {
      id: newId(deps.clock, deps.random),
      token: deps.random.bytes(12).toString('base64url'),
      community_id: where.communityId,
      grid_id: where.gridId,
      unit_id: where.unitId,
      hall_id: i.hallId ?? null,
      address: i.address?.trim() || null,
      lat: i.lat ?? null,
      long: i.long ?? null,
      service_code: service.code,
      attributes: JSON.stringify(attributes),
      description,
      channel: i.channel,
      status: 'dispatched',
      requester_id: i.requesterId ?? null,
      contact_name: i.contactName?.trim() || null,
      phone_hash: phoneHash,
      phone_cipher: i.contactPhone ? deps.vault.encrypt(i.contactPhone) : null,
      entered_by: i.enteredBy ?? null,
      open311_client: i.open311Client ?? null,
      party: route.party,
      assignee_id: route.assigneeId,
      deadline_class: service.deadlineClass,
      received_at: iso(now),
      due_at: iso(d.dueMs),
      warn_at: iso(d.warnMs),
      respond_by: iso(d.respondByMs),
      responded_at: null,
      replied_at: null,
      reply: null,
      closed_at: null,
      declined_at: null,
      escalated_at: null,
      reopen_count: 0,
      visited_at: null,
      visit_note: null,
      rating: null,
      rating_comment: null,
      rated_at: null,
      updated_at: iso(now),
    };
    await repo.insertNeed(trx, row);
    const ids = [...new Set(i.photoIds ?? [])];
    const owner = i.enteredBy ?? i.requesterId;
    if (
      ids.length &&
      (!owner || (await photos.attachPhotos(trx, ids, owner, row.id)) !== ids.length)
    )
      throw new AppError(
        'bad_request',
        '照片无效，请重新上传。A photo was not found or is already used; upload it again.',
      );
    await recordEvent(
      trx,
      deps,
      row,
      i.actor,
      'received',
      null,
      'received',
      `channel:${i.channel}`,
    );
    await recordEvent(
      trx,
      deps,
      row,
      { userId: null, kind: 'system' },
      'dispatched',
      'received',
      'dispatched',
      route.ruleId ? `rule:${route.ruleId}` : `party:${route.party}`,
    );
    if (OUTSIDE_PARTIES.includes(route.party)) await handOff(trx, deps, gateway, row, service);
    return { row, service };
  });
  if (result.service.deadlineClass === 'urgent') {
    const to = result.row.assignee_id
      ? [result.row.assignee_id]
      : await officeOf(deps.db, result.row.community_id);
    await textStaff(
      deps,
      to,
      `【蚁巢】紧急诉求：${result.service.name}，请在 1 小时内响应。编号 ${result.row.id.slice(-6)}`,
    );
  }
  return result.row;
}
