/** Place labels of lockers named only by id in an answer (e.g. the hall's shelf), fetched once per locker. */
import { useEffect, useState } from 'react';
import type { PlaceLabel } from '../../shared/types.ts';
import { api } from './api.ts';

/** id → place label of each locker in `ids` the caller may read (others stay unnamed). */
export function useLockerPlaces(ids: readonly string[]): Record<string, PlaceLabel | undefined> {
  const [places, setPlaces] = useState<Record<string, PlaceLabel | undefined>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const missing = key ? key.split(',').filter((id) => !(id in places)) : [];
    if (missing.length === 0) return;
    void Promise.all(
      missing.map((id) =>
        api.get<{ place?: PlaceLabel }>(`/lockers/${id}`).then(
          (l) => [id, l.place] as const,
          () => [id, undefined] as const,
        ),
      ),
    ).then((rows) => setPlaces((p) => ({ ...p, ...Object.fromEntries(rows) })));
    // Keyed by the set of ids, not by the results: a result arriving must not refetch.
  }, [key]);
  return places;
}
