/** What leaves the server about a user: the whitelist, with the phone masked unless the viewer is its owner. */
import { maskPhone, type PhoneVault } from '../../platform/crypto/phone.ts';
import type { GrantRow, UserRow } from './user.repository.ts';

export interface UserView {
  id: string;
  displayName: string;
  phone: string | null;
  username: string | null;
  status: 'active' | 'disabled';
  createdAt: string;
  grants: GrantView[];
}

export interface GrantView {
  id: string;
  role: GrantRow['role'];
  scopeKind: GrantRow['scope_kind'];
  scopeId: string;
  communityId: string | null;
}

export function presentGrant(g: GrantRow): GrantView {
  return {
    id: g.id,
    role: g.role,
    scopeKind: g.scope_kind,
    scopeId: g.scope_id,
    communityId: g.community_id,
  };
}

/** `owner` = the viewer is this user; everyone else sees 138****1234. */
export function presentUser(
  u: UserRow,
  grants: GrantRow[],
  vault: PhoneVault,
  owner: boolean,
): UserView {
  let phone: string | null = null;
  if (u.phone_cipher) {
    const clear = vault.decrypt(u.phone_cipher);
    phone = owner ? clear : maskPhone(clear);
  }
  return {
    id: u.id,
    displayName: u.display_name,
    phone,
    username: u.username,
    status: u.status,
    createdAt: u.created_at,
    grants: grants.map(presentGrant),
  };
}
