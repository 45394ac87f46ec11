/** The notices module's public entry: notices, activities, the hall kiosk and the social-security port. */
export { noticeRoutes } from './notice.routes.ts';
export { kioskRoutes } from './kiosk.routes.ts';
export { noticeResolvers } from './notice.scope.ts';
export { sendActivityReminders } from './reminders.service.ts';
export { endExpiredKioskSessions, KIOSK_SESSION_SECONDS } from './kiosk.service.ts';
export type {
  SocialSecurityProvider,
  SocialSecurityStatement,
  InsuredPerson,
} from './social-security.port.ts';
export { insertNotice } from './notice.repository.ts';
export { insertActivity, insertSignup, signupFactsPage } from './activity.repository.ts';
export {
  onActivitySignup,
  type ActivitySignupFact,
  type ActivitySignupHandler,
} from './activity.events.ts';
export { upsertRecord as upsertSocialSecurityRecord } from './social-security.repository.ts';
