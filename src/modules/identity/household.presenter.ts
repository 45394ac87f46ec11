/** Binding requests as the resident and the community office see them (unit labels read from places). */
import type { Executor } from '../../db/database.ts';
import { type UnitLabel, unitLabels } from '../places/index.ts';
import type * as repo from './household.repository.ts';

/** A binding request as shown to the asker (and, with `asker`, to the community office). */
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

/** A request row → its view (the asker is added by the community queue only). */
export function presentRequest(r: repo.RequestRow, labels: Map<string, UnitLabel>): RequestView {
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

/** The labels of the given units, by unit id. */
export async function labelsOf(db: Executor, unitIds: string[]): Promise<Map<string, UnitLabel>> {
  return new Map((await unitLabels(db, [...new Set(unitIds)])).map((l) => [l.unitId, l]));
}
