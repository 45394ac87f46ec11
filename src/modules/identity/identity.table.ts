/**
 * People and what they may do. A user holds role grants, each scoped to one place (or a
 * carrier, or the whole platform). Phones are stored only encrypted plus a keyed hash.
 */
import type { Role, ScopeKind } from '../../platform/auth/roles.ts';

export interface UserTable {
  id: string;
  display_name: string;
  /** HMAC of the canonical phone: the lookup key. */
  phone_hash: string | null;
  /** AES-256-GCM ciphertext of the phone. */
  phone_cipher: string | null;
  /** Staff sign-in name; residents have none. */
  username: string | null;
  /** argon2id hash; residents have none. */
  password_hash: string | null;
  status: 'active' | 'disabled';
  created_at: string;
  updated_at: string;
}

export interface RoleGrantTable {
  id: string;
  user_id: string;
  role: Role;
  scope_kind: ScopeKind;
  scope_id: string;
  /** Set whenever the scope lies inside one community (null for carrier, subdistrict, platform). */
  community_id: string | null;
  created_at: string;
  created_by: string | null;
}

export interface OtpChallengeTable {
  id: string;
  phone_hash: string;
  code_hash: string;
  attempts: number;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
}

export interface SessionTable {
  id: string;
  user_id: string;
  refresh_hash: string;
  expires_at: string;
  revoked_at: string | null;
  created_at: string;
}

export interface IdentityTables {
  users: UserTable;
  role_grants: RoleGrantTable;
  otp_challenges: OtpChallengeTable;
  sessions: SessionTable;
}
