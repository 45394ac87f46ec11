/** Where a locker sits, for drill-down (community → compound → locker) without other modules' tables. */
export interface AnalyticsLockerTable {
  locker_id: string;
  community_id: string;
  compound_id: string;
  name: string;
}

/** A locker's offline span, recorded when it comes back online; a rebuild replays them. */
export interface AnalyticsOfflineSpanTable {
  id: string;
  locker_id: string;
  community_id: string;
  from_at: string;
  to_at: string;
}

/**
 * An area's counters (ADR 0029 amendment): `area` is `L:<locker>`, `X:<compound>`,
 * `C:<community>` or `S:<subdistrict>`, so any dashboard scope reads one area. Per local day
 * and month; the slot tables add the local weekday × hour (`weekday * 24 + hour`, Monday 0).
 */
export interface AnalyticsAreaDayTable {
  area: string;
  metric: string;
  day: string;
  dim: string;
  value: number;
}
export interface AnalyticsAreaMonthTable {
  area: string;
  metric: string;
  /** Local month `YYYY-MM`. */
  month: string;
  dim: string;
  value: number;
}
export interface AnalyticsAreaDaySlotTable extends AnalyticsAreaDayTable {
  slot: number;
}
export interface AnalyticsAreaMonthSlotTable extends AnalyticsAreaMonthTable {
  slot: number;
}
/**
 * Increments not yet folded into the area tables (appended by events, read with them): one row
 * counts in its own `area` and in each area above it that is set (null: none, or not known).
 */
export interface AnalyticsPendingTable {
  area: string;
  compound_area: string | null;
  community_area: string | null;
  subdistrict_area: string | null;
  metric: string;
  day: string;
  slot: number;
  dim: string;
  value: number;
}

export interface AnalyticsTables {
  analytics_pending: AnalyticsPendingTable;
  analytics_area_days: AnalyticsAreaDayTable;
  analytics_area_months: AnalyticsAreaMonthTable;
  analytics_area_day_slots: AnalyticsAreaDaySlotTable;
  analytics_area_month_slots: AnalyticsAreaMonthSlotTable;
  analytics_lockers: AnalyticsLockerTable;
  analytics_offline_spans: AnalyticsOfflineSpanTable;
}
