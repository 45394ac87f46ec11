/**
 * The API client's core, shared by the web apps (fetch) and the WeChat mini-program
 * (wx.request): the session shape, request building (Bearer token, a fresh Idempotency-Key
 * on every mutation), one silent refresh on 401, and failures turned into an ApiError whose
 * message a person can act on. No DOM, no i18next: the transport, the session store and the
 * error wording are passed in, so the same code runs in a browser and in WeChat.
 */

export const API = '/api/v1';

/** A session as the server returns it. */
export interface Session {
  userId: string;
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
}

/** A failed call: `message` is ready to show; `code` and `status` drive decisions. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly serverMessage = '',
  ) {
    super(message);
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A new idempotency key. */
export function newKey(): string {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** The headers of an API call: JSON body, Bearer token, idempotency key. */
export function apiHeaders(
  body: unknown,
  token: string | undefined,
  key: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (key) headers['idempotency-key'] = key;
  return headers;
}

/** Turns (code, status, the server's English message, path) into text for a person. */
export type Describe = (
  code: string,
  status: number,
  serverMessage: string,
  path: string,
) => string;

/** The ApiError for a failed answer (`data` is the parsed body, or null). */
export function apiErrorFrom(
  status: number,
  data: unknown,
  path: string,
  describe: Describe,
): ApiError {
  const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
  const code = err?.code ?? (status >= 500 ? 'internal' : 'bad_request');
  const serverMessage = err?.message ?? '';
  return new ApiError(status, code, describe(code, status, serverMessage, path), serverMessage);
}

/** The ApiError for a call that never reached the server. */
export function networkError(path: string, describe: Describe): ApiError {
  return new ApiError(0, 'network', describe('network', 0, '', path));
}
