/** Monthly community reports: one community's month, its figures frozen when generated (ADR 0030). */
export interface MonthlyReportTable {
  id: string;
  community_id: string;
  /** YYYY-MM in China Standard Time. */
  month: string;
  /** MonthlyReportData as JSON: the HTML and PDF are rendered from it. */
  data_json: string;
  trigger: 'schedule' | 'demand';
  generated_at: string;
}

export interface ReportTables {
  analytics_monthly_reports: MonthlyReportTable;
}
