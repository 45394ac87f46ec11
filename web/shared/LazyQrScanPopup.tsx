/**
 * The QR scanner sheet, loaded the first time it opens (issue 12: the scanner and the
 * sheet components it brings were ~200 KB of every first load, used by few visits).
 * Same props as QrScanPopup; callers import this file instead.
 */
import { lazy, Suspense, useState } from 'react';
import type { QrScanPopup as Eager } from './QrScanPopup.tsx';

export type { ScanOutcome } from './QrScanPopup.tsx';

const Inner = lazy(() => import('./QrScanPopup.tsx').then((m) => ({ default: m.QrScanPopup })));

/** QrScanPopup, fetched on first open and kept mounted afterwards (its closing animation still plays). */
export function QrScanPopup(props: Parameters<typeof Eager>[0]) {
  const [opened, setOpened] = useState(props.visible);
  if (props.visible && !opened) setOpened(true);
  if (!opened) return null;
  return (
    <Suspense fallback={null}>
      <Inner {...props} />
    </Suspense>
  );
}
