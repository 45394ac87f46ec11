/**
 * Text that no store can keep. PostgreSQL refuses the NUL character (U+0000) in `text`
 * columns, and SQLite would silently cut C-side strings at it, so a request or device
 * message carrying one is refused at the door with a message naming the field, instead
 * of failing halfway inside a transaction.
 */

/** The path (`a.b[2]`) of the first string or key holding U+0000, or null when there is none. */
export function findNulText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(value)' : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNulText(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const name = k.replace(/\u0000/g, '\\u0000');
    const here = path ? `${path}.${name}` : name;
    if (name !== k) return here;
    const hit = findNulText(v, here);
    if (hit) return hit;
  }
  return null;
}
