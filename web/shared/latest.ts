/**
 * For requests that can overlap (a search typed while the last one is still out): only the
 * answer to the latest request may land, whatever order the answers arrive in.
 */
import { useCallback, useRef } from 'react';

/** `const begin = useLatestOnly(); const isLatest = begin(); … if (isLatest()) setRows(…)`. */
export function useLatestOnly(): () => () => boolean {
  const latest = useRef(0);
  return useCallback(() => {
    const mine = ++latest.current;
    return () => mine === latest.current;
  }, []);
}
