/**
 * Household invitations (issue 12): a resident of a unit makes a single-use code (valid 72 h)
 * in 我的 and passes it on; the family member enters it and is bound at once.
 */
import { createHmac } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import { placePath, type UnitLabel, unitLabels } from '../places/index.ts';
import * as repo from './household.repository.ts';
import { bind } from './household.service.ts';
import * as users from './user.repository.ts';

/** Invitation rules: 8 digits (easy to read out on the phone), 72 hours, at most 5 open per unit and maker. */
export const INVITE = { digits: 8, ttlHours: 72, maxOpen: 5 } as const;

function codeHash(deps: AppDeps, code: string): string {
  return createHmac('sha256', deps.config.secrets.tokenKey)
    .update(`household-invite:${code}`)
    .digest('base64url');
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
