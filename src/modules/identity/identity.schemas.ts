import { Type } from 'typebox';
import {
  Id,
  Name,
  Obj,
  RoleSchema,
  ScopeKindSchema,
  Timestamp,
} from '../../platform/http/schemas.ts';

export const PhoneInput = Type.String({
  minLength: 5,
  maxLength: 20,
  description: 'Mainland mobile number; +86, spaces and dashes are accepted.',
});

export const OtpRequest = Obj({ phone: PhoneInput });
export const OtpRequested = Obj({
  expiresInSeconds: Type.Integer(),
  resendAfterSeconds: Type.Integer(),
});
export const OtpVerify = Obj({
  phone: PhoneInput,
  code: Type.String({ pattern: '^\\d{6}$', description: 'The 6-digit code from the SMS' }),
});
export const PasswordLogin = Obj({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});
export const RefreshRequest = Obj({ refreshToken: Type.String({ minLength: 20, maxLength: 200 }) });

export const SessionView = Obj({
  userId: Id,
  accessToken: Type.String(),
  accessTokenExpiresAt: Timestamp,
  refreshToken: Type.String(),
  refreshTokenExpiresAt: Timestamp,
  newAccount: Type.Optional(Type.Boolean()),
});

export const GrantInput = Obj({
  role: RoleSchema,
  scopeKind: ScopeKindSchema,
  scopeId: Type.String({ minLength: 1, maxLength: 64 }),
});
export const GrantView = Obj({
  id: Id,
  role: RoleSchema,
  scopeKind: ScopeKindSchema,
  scopeId: Type.String(),
  communityId: Type.Union([Type.String(), Type.Null()]),
});

export const UserView = Obj({
  id: Id,
  displayName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()], {
    description: 'Masked (138****1234) unless you are this user',
  }),
  username: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  createdAt: Timestamp,
  grants: Type.Array(GrantView),
});

export const CreateUser = Obj({
  displayName: Name,
  phone: Type.Optional(PhoneInput),
  username: Type.Optional(Type.String({ pattern: '^[a-zA-Z0-9_.-]{3,64}$' })),
  password: Type.Optional(Type.String({ minLength: 10, maxLength: 256 })),
  grant: GrantInput,
});

export const UpdateUser = Obj({
  displayName: Type.Optional(Name),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
});
export const PhoneLookup = Obj({ phone: PhoneInput });
export const UserParams = Obj({ userId: Id });
export const GrantParams = Obj({ userId: Id, grantId: Id });
export const UserListQuery = Obj({
  role: Type.Optional(RoleSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});
