/**
 * A Map kept to a size: `setBounded` lets the oldest entry go first (a Map keeps insertion
 * order) when `max` entries are kept already. The caches of verified tokens, session checks,
 * seal keys, SQLite statements and rows use it.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.size >= max && !map.has(key)) map.delete(map.keys().next().value!);
  map.set(key, value);
}
