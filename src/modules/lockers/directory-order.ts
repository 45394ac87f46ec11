/**
 * A courier's directory order from their recent deposits: the sites they used most recently
 * first, then the compounds they were in. Pure: the deposits come from parcels (through the
 * port buildApp hands the route) and the sites from lockers' own tables.
 */

/** A locker a depositor used lately and when they last did. */
export interface RecentDeposit {
  lockerId: string;
  lastAt: string;
}

/** Rank 0 for the latest key, equal times sharing a rank (as the ORDER BY on times they replace). */
function rank(latest: Map<string, string>): Map<string, number> {
  const times = [...new Set(latest.values())].sort().reverse();
  const position = new Map(times.map((at, i) => [at, i]));
  return new Map([...latest].map(([key, at]) => [key, position.get(at)!]));
}

/** Ranks of the sites and compounds of these recent deposits, from the lockers' sites. */
export function recentRanks(
  recents: readonly RecentDeposit[],
  sites: readonly { id: string; site_id: string; compound_id: string }[],
): { siteRank: Map<string, number>; compoundRank: Map<string, number> } {
  const where = new Map(sites.map((s) => [s.id, s]));
  const site = new Map<string, string>();
  const compound = new Map<string, string>();
  const later = (m: Map<string, string>, key: string, at: string) => {
    if ((m.get(key) ?? '') < at) m.set(key, at);
  };
  for (const r of recents) {
    const s = where.get(r.lockerId);
    if (!s) continue;
    later(site, s.site_id, r.lastAt);
    later(compound, s.compound_id, r.lastAt);
  }
  return { siteRank: rank(site), compoundRank: rank(compound) };
}
