/**
 * identity's public entry: what other modules and the composition roots (app.ts, server.ts) may use.
 * Anything not exported here is private to identity (ADR 0020); add a line here rather than
 * importing one of its files from outside.
 */
export { agreementPages } from './agreement.routes.ts';
export { householdResolvers } from './household.scope.ts';
export {
  onIdentityEvent,
  type IdentityEventHandler,
  type IdentityEventMap,
} from './identity.events.ts';
export { identityRoutes } from './identity.routes.ts';
export { PhoneInput } from './identity.schemas.ts';
export { identityGrantsLoader, identityResolvers, residentCommunities } from './identity.scope.ts';
export { LiveSessions } from './session.runtime.ts';
export {
  activeGrants,
  deleteGrant,
  displayNames,
  findGrantByScope,
  findUserById,
  findUserByPhoneHash,
  findUserByUsername,
  grantsOfUser,
  insertGrant,
  listUsers,
} from './user.repository.ts';
export { verifyOtp, logout } from './auth.service.ts';
export { notifyResident, type ResidentMessage } from './wechat/wechat-subscription.service.ts';
