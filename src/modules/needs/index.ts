/** The needs module's public entry: what other modules (and the server) may use. */
export { sweepEscalations } from './escalation.service.ts';
export { needRoutes } from './need.routes.ts';
export { needResolvers } from './need.scope.ts';
export { needRates, type RatesFilter } from './rates.service.ts';
export { open311Routes } from './open311/open311.routes.ts';
export { LocalInstitutionGateway, type InstitutionGateway } from './institution.adapter.ts';
export { fileNeed } from './intake.service.ts';
export * as needLifecycle from './lifecycle.service.ts';
export { rate as rateNeed, reopen as reopenNeed } from './resident.service.ts';
export { onNeedStep, type NeedStepHandler } from './need.events.ts';
export { needStepFacts, needStepsPage, type NeedStepFacts } from './need.repository.ts';
