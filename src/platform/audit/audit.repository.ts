import type { Executor } from '../../db/database.ts';
import { type Clock, iso, newId, type Random } from '../clock.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetKind: string;
  targetId: string;
  communityId: string | null;
  /** Structured context; must not contain phones, codes or secrets. */
  detail?: Record<string, unknown>;
}

/** Append one audit event; call it inside the transaction of the change it records. */
export async function recordAudit(
  db: Executor,
  clock: Clock,
  random: Random,
  e: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      id: newId(clock, random),
      actor_id: e.actorId,
      action: e.action,
      target_kind: e.targetKind,
      target_id: e.targetId,
      community_id: e.communityId,
      detail: JSON.stringify(e.detail ?? {}),
      created_at: iso(clock.now()),
    })
    .execute();
}

/** Audit events about one object, newest first. */
export async function listAudit(db: Executor, targetKind: string, targetId: string, limit = 100) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('target_kind', '=', targetKind)
    .where('target_id', '=', targetId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
