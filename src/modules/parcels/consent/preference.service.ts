/** A resident's delivery preferences per carrier (ADR 0009): read and replace them. */
import type { Grant } from '../../../platform/auth/access.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { listCarriers, type CarrierRow } from '../../places/index.ts';
import * as repo from './consent.repository.ts';
import { ANY_CARRIER, type DeliveryMode } from './consent.table.ts';

/** My preferences as the app shows them. */
export interface PreferencesView {
  defaultMode: DeliveryMode;
  perCarrier: { carrierId: string; carrierName: string; mode: DeliveryMode }[];
  updatedAt: string | null;
}

/** The community of the caller's home (from a resident grant), or null for an account without one. */
export function homeCommunity(grants: readonly Grant[]): string | null {
  // A resident of homes in two communities gets one alias; pick deterministically.
  return (
    grants
      .filter((g) => g.role === 'resident' && g.communityId)
      .map((g) => g.communityId!)
      .sort()[0] ?? null
  );
}

function presentPreferences(rows: repo.PreferenceRow[], carriers: CarrierRow[]): PreferencesView {
  const names = new Map(carriers.map((c) => [c.id, c.name]));
  const perCarrier = rows
    .filter((r) => r.carrier_id !== ANY_CARRIER)
    .map((r) => ({
      carrierId: r.carrier_id,
      carrierName: names.get(r.carrier_id) ?? '',
      mode: r.mode,
    }))
    .sort((a, b) => a.carrierName.localeCompare(b.carrierName, 'zh-CN'));
  const updatedAt =
    rows
      .map((r) => r.updated_at)
      .sort()
      .at(-1) ?? null;
  return {
    defaultMode: rows.find((r) => r.carrier_id === ANY_CARRIER)?.mode ?? 'ask_first',
    perCarrier,
    updatedAt,
  };
}

/** My delivery preferences; with nothing saved the default reads 'ask_first'. */
export async function getPreferences(deps: AppDeps, userId: string): Promise<PreferencesView> {
  return presentPreferences(await repo.preferencesOf(deps.db, userId), await listCarriers(deps.db));
}

/** Replace my preference set: a default plus at most one exception per (existing) carrier. */
export async function savePreferences(
  deps: AppDeps,
  userId: string,
  grants: readonly Grant[],
  input: { defaultMode: DeliveryMode; perCarrier?: { carrierId: string; mode: DeliveryMode }[] },
): Promise<PreferencesView> {
  const per = input.perCarrier ?? [];
  const twice = per.find((p, i) => per.findIndex((q) => q.carrierId === p.carrierId) !== i);
  if (twice)
    throw new AppError(
      'validation_failed',
      `Carrier ${twice.carrierId} is listed twice; give one mode per carrier.`,
    );
  return deps.db.transaction().execute(async (trx) => {
    const carriers = await listCarriers(trx);
    const unknown = per.find((p) => !carriers.some((c) => c.id === p.carrierId));
    if (unknown) throw notFound(`The carrier ${unknown.carrierId}`);
    const base = {
      community_id: homeCommunity(grants),
      user_id: userId,
      updated_at: iso(deps.clock.now()),
    };
    const rows: repo.PreferenceRow[] = [
      { carrier_id: ANY_CARRIER, mode: input.defaultMode },
      ...per.map((p) => ({ carrier_id: p.carrierId, mode: p.mode })),
    ].map((r) => ({
      ...base,
      ...r,
      id: newId(deps.clock, deps.random),
    }));
    await repo.replacePreferences(trx, userId, rows);
    return presentPreferences(rows, carriers);
  });
}
