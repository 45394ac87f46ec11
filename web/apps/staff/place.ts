/** Words the staff console shows for places and roles (Chinese keys; i18n translates them). */
import type { PlaceLabel } from '../../shared/types.ts';

/** 清淳家园 · 1栋 · 1单元 · 智能柜 (· 3 号格口): how every staff screen names a locker. */
export function placeText(
  place: PlaceLabel | undefined,
  fallback: string,
  t: (k: string, v?: Record<string, unknown>) => string,
  compartment?: number | null,
): string {
  const parts = place
    ? [place.compound, place.building, place.unit, place.cabinet].filter((x): x is string => !!x)
    : [fallback];
  if (compartment) parts.push(t('{{n}} 号格口', { n: compartment }));
  return parts.join(' · ');
}

/** Role → label. */
export const ROLE_LABEL: Record<string, string> = {
  community_worker: '社区工作者',
  grid_worker: '网格员',
  hall_staff: '服务馆店员',
  partner: '社区合伙人',
  subdistrict_officer: '街道工作人员',
  operator_admin: '运营管理员',
};

/** Roles that use the staff console's locker, alert and parcel screens (as the server's STAFF_ROLES). */
export const STAFF_ROLES = new Set([
  'hall_staff',
  'grid_worker',
  'community_worker',
  'subdistrict_officer',
  'operator_admin',
]);

/** Roles that decide home-binding requests in their area (as the server's ADMIN_ROLES on /household-requests). */
export const MANAGER_ROLES = new Set(['community_worker', 'subdistrict_officer', 'operator_admin']);
