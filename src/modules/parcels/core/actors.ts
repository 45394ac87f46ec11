/** Who is acting on parcels, from the caller's grants. */
import type { Grant } from '../../../platform/auth/access.ts';
import { AppError } from '../../../platform/errors.ts';

/** The carrier a courier acts for (their first carrier grant), or 403. */
export function carrierOf(allowed: readonly Grant[]): string {
  const g = allowed.find((a) => a.role === 'courier' && a.scopeKind === 'carrier');
  if (!g) throw new AppError('forbidden', 'Your account is not a courier of any carrier.');
  return g.scopeId;
}
