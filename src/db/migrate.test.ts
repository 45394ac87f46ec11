/** The migrator tries again when another process's schema vanished under Kysely's introspection, and only then. */
import { describe, expect, it } from 'vitest';
import { otherSchemaVanished } from './migrate.ts';

const vanished = (name: string) =>
  Object.assign(new Error(`schema "${name}" does not exist`), { code: '3F000' });

const gone = (relation: string) =>
  Object.assign(new Error(`relation "${relation}" does not exist`), { code: '42P01' });

describe('otherSchemaVanished', () => {
  it("is true for another schema dropped during the introspection (a parallel test worker's teardown)", () => {
    expect(otherSchemaVanished(vanished('w_26538_83850_993'), 't_1_abcd')).toBe(true);
    expect(otherSchemaVanished(vanished('w_26538_83850_993'), undefined)).toBe(true);
    // One step later in the same teardown: its bookkeeping table went first (seen in npm test).
    expect(otherSchemaVanished(gone('w_27589_72476_763.kysely_migration'), 't_1_abcd')).toBe(true);
  });
  it("is true for another worker's table dropped under the introspection's column look-up, before any migration ran", () => {
    const column = Object.assign(
      new Error('column "attempts" of relation "otp_challenges" does not exist'),
      { code: '42703' },
    );
    expect(otherSchemaVanished(column, 't_1_abcd', true)).toBe(true);
    // The same error from a migration that ran is a bug in that migration: not retried.
    expect(otherSchemaVanished(column, 't_1_abcd', false)).toBe(false);
    expect(otherSchemaVanished(column, 't_1_abcd')).toBe(false);
    expect(
      otherSchemaVanished(
        Object.assign(new Error('column "x" does not exist'), { code: '42703' }),
        't_1_abcd',
        true,
      ),
    ).toBe(false);
  });
  it('is false when our own schema is gone, and for any other error', () => {
    expect(otherSchemaVanished(vanished('t_1_abcd'), 't_1_abcd')).toBe(false);
    expect(
      otherSchemaVanished(
        Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }),
        's',
      ),
    ).toBe(false);
    expect(otherSchemaVanished(gone('t_1_abcd.kysely_migration'), 't_1_abcd')).toBe(false);
    expect(otherSchemaVanished('boom', 's')).toBe(false);
  });
});
