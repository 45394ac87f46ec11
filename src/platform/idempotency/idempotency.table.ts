/** The platform's record of Idempotency-Keys: one row per (caller, route, key) and the response it produced. */
export interface IdempotencyKeyTable {
  /** Who sent the key: `user:<userId>` when signed in, `ip:<address>` on public routes. */
  caller: string;
  /** Method and route pattern, e.g. `POST /api/v1/communities/:communityId/grids`. */
  route: string;
  key: string;
  /** sha256 (hex) of method, URL and the canonical JSON body of the first request. */
  fingerprint: string;
  state: 'in_flight' | 'completed';
  status_code: number | null;
  content_type: string | null;
  /** The response body as sent, replayed byte for byte; null for an empty body. */
  body: string | null;
  /** When the key was claimed; both the 24-hour expiry and the in-flight lease count from here. */
  created_at: string;
  completed_at: string | null;
}

/** Tables owned by the idempotency plugin; joined into `DB` in db/schema.ts. */
export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeyTable;
}
