/** analytics' public entry: dashboards over hourly rollups (issue 18, ADR 0029). */
export {
  communityMonthFigures,
  type CarrierFigures,
  type CommunityMonthFigures,
  type NeedTypeFigures,
} from './figures.service.ts';
export { withAnalytics } from './rollup.hooks.ts';
export { foldAreas } from './fold.service.ts';
export { subscribeAnalytics } from './rollup-subscriptions.hooks.ts';
export { analyticsRoutes } from './dashboard.routes.ts';
