/** Prepared statements (db/prepared.ts) and the row cache (db/row-cache.ts) on a real database of each dialect. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../test/harness.ts';
import type { DatabaseHandle } from './database.ts';
import {
  ROWS_PER_STATEMENT,
  perValue,
  prepare,
  prepareByColumns,
  prepareRows,
} from './prepared.ts';
import { RowCache } from './row-cache.ts';
import { transact } from './transact.ts';

const carrierById = prepare<{ id: string }, { id: string; name: string }>((db, p) =>
  db.selectFrom('carriers').select(['id', 'name']).where('id', '=', p('id')),
);
const rename = prepare<{ id: string; name: string }, never>((db, p) =>
  db
    .updateTable('carriers')
    .set({ name: p('name') })
    .where('id', '=', p('id')),
);

const patchCarrier = prepareByColumns<
  Record<string, unknown>,
  { id: string; name: string; code: string }
>((db, p, values) =>
  db
    .updateTable('carriers')
    .set(values)
    .where('id', '=', p('@id') as string)
    .returning(['id', 'name', 'code']),
);

// Constants of the query written into its SQL; only the named parameters stay bound.
const carriersOfKind = prepare<{ kind: string }, { id: string }>((db, p) =>
  db
    .selectFrom('carriers')
    .select('id')
    .where('kind', '=', p('kind') as 'express')
    .where('code', 'in', ['SF1', 'ZTT', "O'Q"]) // c-1's code is SF1 since the patch test
    .where('name', '<>', "it's; drop table carriers; --")
    .where('name', '<>', 'x'.repeat(201)) // too long to write in: stays bound
    .orderBy('id')
    .limit(5),
);

// One statement per kind: the kind is a constant of its statement, not a bound parameter.
const carriersOf = perValue((kind: string) =>
  prepare<{ id: string }, { id: string }>((db, p) =>
    db
      .selectFrom('carriers')
      .select('id')
      .where('kind', '=', kind as 'express')
      .where('id', '=', p('id')),
  ),
);

interface CarrierRow {
  id: string;
  code: string;
  name: string;
  kind: 'express';
  created_at: string;
}
const CARRIER_COLUMNS = ['id', 'code', 'name', 'kind', 'created_at'] as const;
const insertCarriers = prepareRows<CarrierRow>(CARRIER_COLUMNS, (db, rows) =>
  db.insertInto('carriers').values(rows as never),
);
// An upsert: a known id takes the new name.
const upsertCarriers = prepareRows<CarrierRow>(CARRIER_COLUMNS, (db, rows) =>
  db
    .insertInto('carriers')
    .values(rows as never)
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') }))),
);
const carrier = (i: number, name = `承运商${i}`): CarrierRow => ({
  id: `r-${i}`,
  code: `R${i}`,
  name,
  kind: 'express',
  created_at: '2026-12-07T00:00:00.000Z',
});

describeEachDialect('prepared statements and the row cache', (dialect) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openTestDatabase(dialect);
    await h.db
      .insertInto('carriers')
      .values(
        [
          ['c-1', 'SFT', '顺丰'],
          ['c-2', 'ZTT', '中通'],
        ].map(([id, code, name]) => ({
          id: id!,
          code: code!,
          name: name!,
          kind: 'express' as const,
          created_at: '2026-12-05T00:00:00.000Z',
        })),
      )
      .execute();
  });
  afterAll(() => h?.destroy());

  it('compiles once to the builder’s SQL and binds each call’s values', async () => {
    const built = h.db
      .selectFrom('carriers')
      .select(['id', 'name'])
      .where('id', '=', 'x')
      .compile();
    expect(carrierById.sql(h.db)).toBe(built.sql);
    expect(await carrierById.first(h.db, { id: 'c-2' })).toEqual({ id: 'c-2', name: '中通' });
    expect(await carrierById.first(h.db, { id: 'c-1' })).toEqual({ id: 'c-1', name: '顺丰' });
    expect(await carrierById.first(h.db, { id: 'none' })).toBeUndefined();
    expect(await rename.changed(h.db, { id: 'c-1', name: '顺丰速运' })).toBe(1);
    expect(await rename.changed(h.db, { id: 'none', name: 'x' })).toBe(0);
  });

  it('runs in the caller’s transaction, rolled back with it', async () => {
    await expect(
      transact(h.db, async (trx) => {
        await rename.run(trx, { id: 'c-2', name: '改了' });
        expect((await carrierById.first(trx, { id: 'c-2' }))?.name).toBe('改了');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await carrierById.first(h.db, { id: 'c-2' }))?.name).toBe('中通');
  });

  it('compiles a patch update once per set of columns, binding each call’s values', async () => {
    const one = patchCarrier.for({ name: 'x' });
    expect(patchCarrier.for({ name: 'y', code: undefined })).toBe(one); // undefined is left out
    const both = patchCarrier.for({ name: 'x', code: 'y' });
    expect(both).not.toBe(one);
    expect(patchCarrier.for({ code: 'y', name: 'x' })).toBe(both); // key order does not matter
    const built = h.db
      .updateTable('carriers')
      .set({ code: 'a', name: 'b' })
      .where('id', '=', 'c')
      .returning(['id', 'name', 'code'])
      .compile();
    expect(both.sql(h.db)).toBe(built.sql);
    expect(await both.first(h.db, { '@id': 'c-1', name: '顺丰', code: 'SF1' })).toEqual({
      id: 'c-1',
      name: '顺丰',
      code: 'SF1',
    });
    expect(await one.first(h.db, { '@id': 'c-1', name: '顺丰速运' })).toEqual({
      id: 'c-1',
      name: '顺丰速运',
      code: 'SF1',
    });
    expect(() => patchCarrier.for({})).toThrow('nothing to change');
    expect(() => patchCarrier.for({ name: h.db.dynamic.ref('code') })).toThrow('only plain values');
  });

  it('writes the query’s constants into its SQL, escaped, and binds only its parameters', async () => {
    const text = carriersOfKind.sql(h.db);
    expect(text).toContain("in ('SF1', 'ZTT', 'O''Q')");
    expect(text).toContain("<> 'it''s; drop table carriers; --'");
    expect(text).toMatch(/limit 5$/);
    // The kind and the long string are the two bound values.
    expect(text.match(dialect === 'sqlite' ? /\?/g : /\$\d+/g)).toHaveLength(2);
    expect(await carriersOfKind.all(h.db, { kind: 'express' })).toEqual([
      { id: 'c-1' },
      { id: 'c-2' },
    ]);
    expect(await carriersOfKind.all(h.db, { kind: 'takeout' })).toEqual([]);
  });

  it('perValue makes one statement per value, with the value written into its SQL', async () => {
    expect(carriersOf('express')).toBe(carriersOf('express'));
    expect(carriersOf('takeout')).not.toBe(carriersOf('express'));
    expect(carriersOf('express').sql(h.db)).toContain("= 'express'");
    expect(carriersOf('takeout').sql(h.db)).toContain("= 'takeout'");
    expect(await carriersOf('express').all(h.db, { id: 'c-1' })).toEqual([{ id: 'c-1' }]);
    expect(await carriersOf('takeout').all(h.db, { id: 'c-1' })).toEqual([]);
  });

  it('writes many rows in statements of at most ROWS_PER_STATEMENT, each row count compiled once', async () => {
    const n = 2 * ROWS_PER_STATEMENT + 22;
    const rows = Array.from({ length: n }, (_, i) => carrier(i));
    // The builder's SQL for that many rows, placeholders in the same places.
    const built = h.db.insertInto('carriers').values(rows.slice(0, 22)).compile();
    expect(insertCarriers.sql(h.db, 22)).toBe(built.sql);
    expect(await insertCarriers.write(h.db, rows)).toBe(n);
    const stored = await h.db
      .selectFrom('carriers')
      .select(['id', 'code', 'name'])
      .where('id', 'like', 'r-%')
      .execute();
    expect(stored).toHaveLength(n);
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const r of rows) expect(byId.get(r.id)).toEqual({ id: r.id, code: r.code, name: r.name });
    // An upsert of known and new rows, in a transaction that rolls back, then one that commits.
    const again = [carrier(0, '改名'), carrier(n, '新的')];
    await expect(
      transact(h.db, async (trx) => {
        await upsertCarriers.write(trx, again);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await carrierById.first(h.db, { id: 'r-0' }))?.name).toBe('承运商0');
    expect(await carrierById.first(h.db, { id: `r-${n}` })).toBeUndefined();
    await upsertCarriers.write(h.db, again);
    expect((await carrierById.first(h.db, { id: 'r-0' }))?.name).toBe('改名');
    expect((await carrierById.first(h.db, { id: `r-${n}` }))?.name).toBe('新的');
    expect(await insertCarriers.write(h.db, [])).toBe(0);
    // A missing column is the caller's mistake, named, before anything is written: here the
    // bad row is the last of two statements' worth, and the first statement's rows stay out too.
    const { name: _, ...noName } = carrier(n + 1);
    const many = Array.from({ length: ROWS_PER_STATEMENT }, (_, i) => carrier(n + 2 + i));
    await expect(insertCarriers.write(h.db, [...many, noName as CarrierRow])).rejects.toThrow(
      `row ${ROWS_PER_STATEMENT}: no value for name`,
    );
    expect(await carrierById.first(h.db, { id: `r-${n + 2}` })).toBeUndefined();
    await h.db.deleteFrom('carriers').where('id', 'like', 'r-%').execute();
  });

  it('caches a row only once its transaction committed, and forgets it when told', async () => {
    const cache = new RowCache<string>(60_000);
    let reads = 0;
    const nameOf = (db: typeof h.db, id: string) =>
      cache.get(db, id, async () => {
        reads++;
        return (await carrierById.first(db, { id }))?.name;
      });
    // Read inside a transaction that rolls back: not kept.
    await transact(h.db, async (trx) => {
      await rename.run(trx, { id: 'c-2', name: '未提交' });
      expect(await nameOf(trx, 'c-2')).toBe('未提交');
      throw new Error('no');
    }).catch(() => undefined);
    expect(await nameOf(h.db, 'c-2')).toBe('中通');
    expect(await nameOf(h.db, 'c-2')).toBe('中通');
    expect(reads).toBe(2);
    await rename.run(h.db, { id: 'c-2', name: '中通快递' });
    expect(await nameOf(h.db, 'c-2')).toBe('中通'); // stale until invalidated (or aged out)
    cache.invalidate(h.db, 'c-2');
    expect(await nameOf(h.db, 'c-2')).toBe('中通快递');
    // Committed in a transaction: kept.
    await transact(h.db, async (trx) => void (await nameOf(trx, 'c-1')));
    const before = reads;
    await nameOf(h.db, 'c-1');
    expect(reads).toBe(before);
  });
});
