/** Scheduled jobs and their cluster-wide lease (see job.repository.ts). */
export interface JobLeaseTable {
  name: string;
  /** Node id of the node that claimed the current or last run. */
  holder: string | null;
  /** While a run is in progress: until when no other node may start one. Null when idle. */
  lease_until: string | null;
  next_run_at: string;
  runs: number;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_error: string | null;
}

export interface JobTables {
  job_leases: JobLeaseTable;
}
