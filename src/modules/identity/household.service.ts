/**
 * Binding a home (issue 12). A person becomes a resident of a unit in one of two ways:
 *  - an invitation: a resident of that unit makes a single-use code (valid 72 h) in 我的
 *    and passes it on; the family member enters it and is bound at once;
 *  - a request: the person names the unit and their relation; a community worker whose
 *    places cover the unit approves or rejects it.
 * Both end in the same `resident` grant on the unit, audited in the same transaction.
 */
import { createHmac } from 'node:crypto';
import type { Grant } from '../../platform/auth/access.ts';
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import { maskPhone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import type { Executor } from '../../db/database.ts';
import {
  communitiesCovered,
  placePath,
  searchUnits,
  type UnitLabel,
  unitLabels,
} from '../places/index.ts';
import * as repo from './household.repository.ts';
import * as users from './user.repository.ts';

/** Invitation rules: 8 digits (easy to read out on the phone), 72 hours, at most 5 open per unit and maker. */
export const INVITE = { digits: 8, ttlHours: 72, maxOpen: 5 } as const;

export interface RequestView {
  requestId: string;
  unitId: string;
  unit: string;
  communityName: string;
  relation: string;
  note: string | null;
  status: repo.RequestRow['status'];
  createdAt: string;
  decidedAt: string | null;
  reason: string | null;
  /** The asker, masked; only in the community's queue. */
  asker?: { displayName: string; phone: string | null };
}

function codeHash(deps: AppDeps, code: string): string {
  return createHmac('sha256', deps.config.secrets.tokenKey)
    .update(`household-invite:${code}`)
    .digest('base64url');
}

function present(r: repo.RequestRow, labels: Map<string, UnitLabel>): RequestView {
  const l = labels.get(r.unit_id);
  return {
    requestId: r.id,
    unitId: r.unit_id,
    unit: l?.label ?? '—',
    communityName: l?.communityName ?? '—',
    relation: r.relation,
    note: r.note,
    status: r.status,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    reason: r.reason,
  };
}

async function labelsOf(db: Executor, unitIds: string[]): Promise<Map<string, UnitLabel>> {
  return new Map((await unitLabels(db, [...new Set(unitIds)])).map((l) => [l.unitId, l]));
}

async function bind(
  deps: AppDeps,
  trx: Executor,
  userId: string,
  unitId: string,
  communityId: string,
  by: string,
  how: string,
): Promise<void> {
  if (await users.findGrantByScope(trx, userId, 'resident', 'unit', unitId)) return;
  const now = iso(deps.clock.now());
  const id = newId(deps.clock, deps.random);
  await users.insertGrant(trx, {
    id,
    user_id: userId,
    role: 'resident',
    scope_kind: 'unit',
    scope_id: unitId,
    community_id: communityId,
    created_at: now,
    created_by: by,
  });
  await recordAudit(trx, deps.clock, deps.random, {
    actorId: by,
    action: 'household.bind',
    targetKind: 'user',
    targetId: userId,
    communityId,
    detail: { grantId: id, unitId, how },
  });
}

/** My homes (units I am a resident of) and my binding requests. */
export async function myHomes(
  deps: AppDeps,
  userId: string,
): Promise<{ homes: UnitLabel[]; requests: RequestView[] }> {
  const grants = (await users.grantsOfUser(deps.db, userId)).filter(
    (g) => g.role === 'resident' && g.scope_kind === 'unit',
  );
  const requests = await repo.requestsOfUser(deps.db, userId);
  const labels = await labelsOf(deps.db, [
    ...grants.map((g) => g.scope_id),
    ...requests.map((r) => r.unit_id),
  ]);
  return {
    homes: grants.map((g) => labels.get(g.scope_id)).filter((l): l is UnitLabel => !!l),
    requests: requests.map((r) => present(r, labels)),
  };
}

/** Units matching what a person types ("清淳家园 1栋1单元"), for the request form. */
export async function findUnits(deps: AppDeps, q: string): Promise<UnitLabel[]> {
  return searchUnits(deps.db, q, 20);
}

/** A resident of the unit makes a single-use invitation code (the route's access rule checked the unit). */
export async function createInvite(
  deps: AppDeps,
  userId: string,
  unitId: string,
): Promise<{ code: string; expiresAt: string; unit: string }> {
  const path = await placePath(deps.db, 'unit', unitId);
  if (!path?.community) throw notFound('That unit');
  const now = deps.clock.now();
  if ((await repo.openInvites(deps.db, unitId, userId, iso(now))).length >= INVITE.maxOpen) {
    throw conflict(
      `You already have ${INVITE.maxOpen} unused invitations for this home; wait until one is used or expires.`,
    );
  }
  // Codes are unique for good (a used one must never open a second home): draw again on the rare clash.
  let code = '';
  for (let i = 0; i < 5 && !code; i++) {
    const c = String(deps.random.int(10 ** INVITE.digits)).padStart(INVITE.digits, '0');
    if (!(await repo.findInviteByHash(deps.db, codeHash(deps, c)))) code = c;
  }
  if (!code)
    throw new AppError('unavailable', 'Could not make a new invitation code just now; try again.');
  const expiresAt = iso(now + INVITE.ttlHours * 3600_000);
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertInvite(trx, {
      id: newId(deps.clock, deps.random),
      unit_id: unitId,
      community_id: path.community!,
      created_by: userId,
      code_hash: codeHash(deps, code),
      expires_at: expiresAt,
      used_at: null,
      used_by: null,
      created_at: iso(now),
    });
    await recordAudit(trx, deps.clock, deps.random, {
      actorId: userId,
      action: 'household.invite',
      targetKind: 'unit',
      targetId: unitId,
      communityId: path.community!,
      detail: { expiresAt },
    });
  });
  const [label] = await unitLabels(deps.db, [unitId]);
  return { code, expiresAt, unit: label?.label ?? '' };
}

/** Join a home with an invitation code: bound at once; the code then stops working. */
export async function joinByInvite(
  deps: AppDeps,
  userId: string,
  code: string,
): Promise<UnitLabel> {
  await hitLimits(deps.db, deps.clock, [limit('householdCodeTriesPerUser', userId)]);
  const invalid = new AppError(
    'not_found',
    'This invitation code is wrong, already used or expired; ask your family member to make a new one in 我的 → 邀请家人.',
  );
  const invite = await repo.findInviteByHash(deps.db, codeHash(deps, code));
  const nowIso = iso(deps.clock.now());
  if (!invite || invite.used_at !== null || invite.expires_at <= nowIso) throw invalid;
  if (await users.findGrantByScope(deps.db, userId, 'resident', 'unit', invite.unit_id))
    throw conflict('You are already bound to this home.');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.claimInvite(trx, invite.id, userId, nowIso))) throw invalid;
    await bind(deps, trx, userId, invite.unit_id, invite.community_id, invite.created_by, 'invite');
  });
  const [label] = await unitLabels(deps.db, [invite.unit_id]);
  return label!;
}

/** Ask the community to bind me to a unit. */
export async function requestBinding(
  deps: AppDeps,
  userId: string,
  input: { unitId: string; relation: string; note?: string },
): Promise<RequestView> {
  const path = await placePath(deps.db, 'unit', input.unitId);
  if (!path?.community) throw notFound('That unit');
  if (await users.findGrantByScope(deps.db, userId, 'resident', 'unit', input.unitId))
    throw conflict('You are already bound to this home.');
  if (await repo.pendingRequestFor(deps.db, userId, input.unitId))
    throw conflict('You already asked to bind this home; the community office will answer it.');
  await hitLimits(deps.db, deps.clock, [limit('householdRequestsPerUser', userId)]);
  const row: repo.RequestRow = {
    id: newId(deps.clock, deps.random),
    user_id: userId,
    unit_id: input.unitId,
    community_id: path.community,
    relation: input.relation,
    note: input.note ?? null,
    status: 'pending',
    created_at: iso(deps.clock.now()),
    decided_at: null,
    decided_by: null,
    reason: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRequest(trx, row);
    await recordAudit(trx, deps.clock, deps.random, {
      actorId: userId,
      action: 'household.request',
      targetKind: 'unit',
      targetId: input.unitId,
      communityId: path.community!,
      detail: { requestId: row.id },
    });
  });
  return present(row, await labelsOf(deps.db, [row.unit_id]));
}

/** Withdraw my own pending request. */
export async function cancelRequest(
  deps: AppDeps,
  userId: string,
  requestId: string,
): Promise<void> {
  const r = await repo.findRequest(deps.db, requestId);
  if (!r || r.user_id !== userId) throw notFound('That request');
  if (
    !(await repo.decideRequest(deps.db, requestId, {
      status: 'cancelled',
      decided_at: iso(deps.clock.now()),
      decided_by: userId,
      reason: null,
    }))
  )
    throw conflict(`This request is already ${r.status}.`);
}

/** The community's queue: requests in the places the worker covers, asker's phone masked. */
export async function listRequests(
  deps: AppDeps,
  allowed: readonly Grant[],
  status: repo.RequestRow['status'],
  limit: number,
): Promise<RequestView[]> {
  const rows = await repo.requestsInCommunities(
    deps.db,
    await communitiesCovered(deps.db, allowed),
    status,
    limit,
  );
  const labels = await labelsOf(
    deps.db,
    rows.map((r) => r.unit_id),
  );
  return Promise.all(
    rows.map(async (r) => {
      const u = await users.findUserById(deps.db, r.user_id);
      return {
        ...present(r, labels),
        asker: {
          displayName: u?.display_name ?? '—',
          phone: u?.phone_cipher ? maskPhone(deps.vault.decrypt(u.phone_cipher)) : null,
        },
      };
    }),
  );
}

/** Approve (bind the asker) or reject a pending request; the route's access rule checked the unit is the worker's. */
export async function decide(
  deps: AppDeps,
  actorId: string,
  requestId: string,
  input: { approve: boolean; reason?: string },
): Promise<RequestView> {
  const r = await repo.findRequest(deps.db, requestId);
  if (!r) throw notFound('That request');
  if (!input.approve && !input.reason?.trim())
    throw new AppError(
      'validation_failed',
      'Say why the request is rejected: the asker sees the reason.',
    );
  const now = iso(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    const status = input.approve ? 'approved' : 'rejected';
    if (
      !(await repo.decideRequest(trx, requestId, {
        status,
        decided_at: now,
        decided_by: actorId,
        reason: input.reason?.trim() || null,
      }))
    )
      throw conflict(`This request is already ${r.status}.`);
    if (input.approve)
      await bind(deps, trx, r.user_id, r.unit_id, r.community_id, actorId, 'community');
    else
      await recordAudit(trx, deps.clock, deps.random, {
        actorId,
        action: 'household.reject',
        targetKind: 'user',
        targetId: r.user_id,
        communityId: r.community_id,
        detail: { requestId },
      });
  });
  return present(
    (await repo.findRequest(deps.db, requestId))!,
    await labelsOf(deps.db, [r.unit_id]),
  );
}

/** Scope resolver: a request sits where its unit does. */
export async function requestPlacePaths(db: Executor, requestId: string) {
  const r = await repo.findRequest(db, requestId);
  if (!r) return [];
  const p = await placePath(db, 'unit', r.unit_id);
  return p ? [p] : [];
}
