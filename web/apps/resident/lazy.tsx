/**
 * The resident app's screens that a first visit does not need, each fetched when first
 * shown (issue 12 budget: ≤ 150 KB of JS on first load). The parcel list stays in the
 * entry: it is what almost every visit opens. Each wrapper has its own Suspense so a
 * sheet loading does not blank the list behind it.
 */
import type { ComponentProps } from 'react';
import { deferred } from '../../shared/deferred.tsx';

/** Sign-in screen (only signed-out visits need it). */
export const Login = deferred(() => import('./features/Login.tsx').then((m) => m.Login));
/** 我的 tab. */
export const MeTab = deferred<ComponentProps<typeof import('./features/Me.tsx').MeTab>>(() =>
  import('./features/Me.tsx').then((m) => m.MeTab),
);
/** 通知 tab. */
export const Notices = deferred(() => import('./features/Notices.tsx').then((m) => m.Notices));
/** 寄件 / 寄存 view. */
export const SendTab = deferred(() => import('./features/Send.tsx').then((m) => m.SendTab));
/** Share-pickup sheet. */
export const SharePopup = deferred<
  ComponentProps<typeof import('./features/Share.tsx').SharePopup>
>(() => import('./features/Share.tsx').then((m) => m.SharePopup), false);
/** The agreement gate (only when a text changed since the person accepted). */
export const AgreementGate = deferred<
  ComponentProps<typeof import('./features/Agreement.tsx').AgreementGate>
>(() => import('./features/Agreement.tsx').then((m) => m.AgreementGate));
export const NeedsTab = deferred(() =>
  import('./features/needs/NeedsTab.tsx').then((m) => m.NeedsTab),
);
export const HallTab = deferred(() => import('./features/hall/HallTab.tsx').then((m) => m.HallTab));
