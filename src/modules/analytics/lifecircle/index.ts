export { lifeCircleRoutes } from './lifecircle.routes.ts';
export { lifeCircleSummary } from './lifecircle.service.ts';
