export { reportRoutes } from './report.routes.ts';
export {
  generateDueReports,
  generateReport,
  noFigures,
  type FiguresSource,
} from './report.service.ts';
export type { MonthlyReportData } from './monthly-report.ts';
