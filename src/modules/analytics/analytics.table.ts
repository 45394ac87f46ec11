/**
 * Dashboard rollups (ADR 0029): hourly counters kept in the transaction of the event they
 * count: a locker's events in the locker's row, community-wide figures (needs, hall, fund) in
 * the community's row (`locker_id` ''). A community's figures sum all its rows.
 */
export interface AnalyticsHourlyTable {
  community_id: string;
  /** '' for the community's own (not a locker's) figures. */
  locker_id: string;
  /** A metric name from rollup-rules.ts (`parcel.deposits`, `device.jams`…). */
  metric: string;
  /** UTC hour, `YYYY-MM-DDTHH` (sorts as text on both dialects). */
  hour: string;
  /** The breakdown within the metric (carrier id, dwell bucket, request type…); '' for none. */
  dim: string;
  value: number;
}

/** The same counters per local day (Asia/Shanghai), `YYYY-MM-DD`: what windows of whole days sum. */
export interface AnalyticsDailyTable {
  community_id: string;
  locker_id: string;
  metric: string;
  day: string;
  dim: string;
  value: number;
}

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
/** Increments not yet folded into the area tables (appended by events, read with them). */
export interface AnalyticsPendingTable {
  area: string;
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
  analytics_hourly: AnalyticsHourlyTable;
  analytics_daily: AnalyticsDailyTable;
  analytics_lockers: AnalyticsLockerTable;
  analytics_offline_spans: AnalyticsOfflineSpanTable;
}
