/** Schema building blocks shared by every module's routes. */
import { type TProperties, type TSchema, Type } from 'typebox';
import { ROLES, SCOPE_KINDS } from '../auth/roles.ts';

/** A closed object: unknown fields are a 400, not silently dropped. */
export function Obj<T extends TProperties>(props: T, opts: { description?: string } = {}) {
  return Type.Object(props, { additionalProperties: false, ...opts });
}

/** A value or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Our identifiers are UUIDv7 strings. */
export const Id = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'UUID',
});

/** A human-entered name: trimmed length 1–100, no control characters. */
export const Name = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[^\\u0000-\\u001f]*\\S[^\\u0000-\\u001f]*$',
});

export const Timestamp = Type.String({ description: 'ISO-8601 UTC' });

export const RoleSchema = Type.Enum([...ROLES]);
export const ScopeKindSchema = Type.Enum([...SCOPE_KINDS]);

export const ErrorBody = Obj(
  { error: Obj({ code: Type.String(), message: Type.String() }) },
  { description: 'Every error has this shape.' },
);

/** Response entries for the errors any protected route can give. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
} as const;

export const Paging = Obj({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});
