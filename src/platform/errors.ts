/**
 * The one error vocabulary of antnest. Domain code throws AppError; the HTTP error
 * handler (platform/http/error-handler.ts) maps it to `{ error: { code, message } }`.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'idempotency_key_reused'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'otp_invalid'
  | 'login_failed'
  | 'internal'
  | 'unavailable';

const defaultStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_reused: 422,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  otp_invalid: 401,
  login_failed: 401,
  internal: 500,
  unavailable: 503,
};

/** An error meant for the caller: its message is shown to a person, so make it actionable. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds the caller should wait before retrying (sent as Retry-After). */
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { status?: number; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = opts.status ?? defaultStatus[code];
    this.retryAfter = opts.retryAfter;
  }
}

/** Shorthand for the most common domain error: the thing does not exist (or is not yours). */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} was not found.`);
}

/** Shorthand for a state conflict the caller can resolve by changing the request. */
export function conflict(message: string): AppError {
  return new AppError('conflict', message);
}
