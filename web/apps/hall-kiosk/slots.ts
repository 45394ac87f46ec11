/**
 * Extension points of the hall kiosk. `need` is the "leave a need for the community" form
 * (issue 15 item 5, built by the needs module): when it is set, the signed-in screen shows
 * a 留下需求 tile that opens it; while it is null the tile is not shown at all. It is set to
 * the needs intake form (NeedSlot.tsx, loaded on first use).
 */
import { type ComponentType, createElement, lazy, Suspense } from 'react';

/** What the need form is given: the hall it is left at, and a way back to the menu. */
export interface NeedSlotProps {
  hallId: string;
  /** Calls the API as the signed-in resident (the kiosk session's token). */
  call: <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => Promise<T>;
  /** Call when the form is done or abandoned. */
  onDone: () => void;
}

const NeedForm = lazy(() => import('./NeedSlot.tsx'));

/** The needs module's intake form, loaded when a resident opens it. */
function Need(props: NeedSlotProps) {
  return createElement(Suspense, { fallback: null }, createElement(NeedForm, props));
}

export const slots: { need: ComponentType<NeedSlotProps> | null } = { need: Need };
