/** The identity module's public entry: what other modules may use. */
export { verifyOtp, logout } from './auth.service.ts';
export {
  findUserById,
  findUserByPhoneHash,
  findUserByUsername,
  listUsers,
} from './user.repository.ts';
export { PhoneInput } from './identity.schemas.ts';
export { findGrantByScope } from './user.repository.ts';
