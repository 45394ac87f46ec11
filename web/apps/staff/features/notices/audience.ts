/** The places a staff member may address: their community, its compounds, and the subdistrict when their grant reaches it. */
import { useEffect, useState } from 'react';
import type { Workplaces } from '../../../../shared/types.ts';
import { api } from '../../api.ts';

export interface AudienceOption {
  value: string;
  label: string;
  kind: 'subdistrict' | 'community' | 'compound';
  id: string;
}

/** Audience choices for the selected community (compounds load when the caller may read them). */
export function useAudiences(communityId: string, me: Workplaces): AudienceOption[] {
  const [compounds, setCompounds] = useState<{ id: string; name: string }[]>([]);
  const [subdistrictId, setSubdistrictId] = useState<string | null>(null);
  // Hall staff's grants reach their hall, not the community above it: they read neither
  // (the server answers 404) and address their community as a whole.
  const readsCommunity = me.grants.some((g) => g.role !== 'hall_staff');
  useEffect(() => {
    setCompounds([]);
    setSubdistrictId(null);
    if (!readsCommunity) return;
    api
      .get<{ id: string; name: string }[]>(`/communities/${communityId}/compounds`)
      .then(setCompounds)
      .catch(() => setCompounds([]));
    api
      .get<{ subdistrictId: string }>(`/communities/${communityId}`)
      .then((c) => setSubdistrictId(c.subdistrictId))
      .catch(() => setSubdistrictId(null));
  }, [communityId, readsCommunity]);
  const community = me.communities.find((c) => c.id === communityId);
  const wide = me.grants.some(
    (g) =>
      (g.scopeKind === 'subdistrict' && g.scopeId === subdistrictId) || g.scopeKind === 'platform',
  );
  return [
    ...(wide && subdistrictId && community
      ? [
          {
            value: `subdistrict:${subdistrictId}`,
            label: `${community.subdistrict}（全街道）`,
            kind: 'subdistrict' as const,
            id: subdistrictId,
          },
        ]
      : []),
    ...(community
      ? [
          {
            value: `community:${community.id}`,
            label: `${community.name}（全社区）`,
            kind: 'community' as const,
            id: community.id,
          },
        ]
      : []),
    ...compounds.map((c) => ({
      value: `compound:${c.id}`,
      label: c.name,
      kind: 'compound' as const,
      id: c.id,
    })),
  ];
}
