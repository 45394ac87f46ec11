/** Tables the platform itself owns: fixed-window rate counters and the audit trail. */
export interface RateCounterTable {
  key: string;
  window_start: string;
  count: number;
}

export interface AuditEventTable {
  id: string;
  actor_id: string | null;
  action: string;
  target_kind: string;
  target_id: string;
  community_id: string | null;
  detail: string;
  created_at: string;
}

export interface PlatformTables {
  rate_counters: RateCounterTable;
  audit_events: AuditEventTable;
}
