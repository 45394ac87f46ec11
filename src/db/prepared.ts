/**
 * Hot queries compiled once, not rebuilt per call. Kysely's builder costs about 10 µs for a
 * primary-key select (building the operation tree, compiling it to SQL), as much as running
 * it on SQLite (bench/prepared.ts measures both), and 150–200 µs for the deposit's
 * free-compartment search with its subquery (ADR 0040). A repository declares its
 * hottest statements with `prepare`, naming their parameters; the first call on a dialect
 * compiles the query with placeholders, and every call after binds the values into that
 * SQL and runs it (`executeQuery`), in the caller's database or transaction. The SQL is the
 * builder's own, with the query's constants written in as literals (InlineConstants, below),
 * so the two dialects still come from one definition; SQLite's driver then reuses its
 * prepared statement by SQL text (db/database.ts), PostgreSQL gets the same text.
 *
 * Only for statements whose shape never changes: a fixed column list, no `in` lists of
 * varying length, no optional clauses (those stay with the builder).
 */
import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  OperationNodeTransformer,
  type OperationNodeSource,
  PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  ValueListNode,
  ValueNode,
} from 'kysely';
import type { Executor } from './database.ts';

/** A named parameter's placeholder while the query is compiled. */
class Slot {
  constructor(readonly name: string) {}
}

/** A constant of the query's text that can be written into its SQL: a short string or a safe integer. */
const inlinable = (v: unknown): v is string | number =>
  (typeof v === 'string' && v.length <= 200) || Number.isSafeInteger(v);

/**
 * Writes the query's constants (`where status = 'stored'`, `limit 200`) into its SQL as
 * literals and leaves only the named parameters bound. SQLite re-plans a statement on every
 * run when a bound value decides whether a partial index applies (parcels' and
 * locker_alerts' indexes are partial on `status`): a typed-code look-up took 32 µs with
 * `status` bound and 4.5 µs with it written in. A literal also lets PostgreSQL's planner
 * see the value. Strings are escaped by the dialect's own compiler.
 */
class InlineConstants extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return !node.immediate && inlinable(node.value) ? ValueNode.createImmediate(node.value) : node;
  }

  protected override transformPrimitiveValueList(
    node: PrimitiveValueListNode,
  ): PrimitiveValueListNode {
    if (!node.values.every(inlinable)) return node;
    // `in ('a', 'b')`: a list of literals instead of a list of bound values.
    return ValueListNode.create(
      node.values.map((v) => ValueNode.createImmediate(v)),
    ) as unknown as PrimitiveValueListNode;
  }
}
const inlineConstants = new InlineConstants();

/** What `prepare`'s builder gets to name a parameter: stands for a value of the parameter's type. */
export type Param<P> = <K extends keyof P & string>(name: K) => P[K];

interface Compiled<O> {
  query: CompiledQuery<O>;
  /** For each compiled parameter, the name it binds from, or undefined for a constant of the query. */
  slots: (string | undefined)[];
}

/** A statement compiled once per dialect; run it with its named parameters. */
export class Prepared<P extends object, O> {
  // By adapter class: every database of one dialect compiles a query to the same SQL.
  readonly #compiled = new Map<unknown, Compiled<O>>();

  constructor(private readonly build: (db: Executor, p: Param<P>) => Compilable<O>) {}

  #compile(db: Executor): Compiled<O> {
    const dialect = db.getExecutor().adapter.constructor;
    let c = this.#compiled.get(dialect);
    if (!c) {
      const built = this.build(db, ((name: string) => new Slot(name)) as Param<P>);
      const node = inlineConstants.transformNode(
        (built as unknown as OperationNodeSource).toOperationNode(),
      ) as RootOperationNode;
      const query = db.getExecutor().compileQuery<O>(node, createQueryId());
      const slots = query.parameters.map((v) => (v instanceof Slot ? v.name : undefined));
      c = { query, slots };
      this.#compiled.set(dialect, c);
    }
    return c;
  }

  /** Run it; the driver's result (rows, and for writes the rows changed). */
  async run(db: Executor, params: P): Promise<QueryResult<O>> {
    const { query, slots } = this.#compile(db);
    const values = params as Record<string, unknown>;
    const parameters = slots.map((s, i) => (s === undefined ? query.parameters[i] : values[s]));
    return db.executeQuery<O>({ ...query, parameters });
  }

  /** Its rows. */
  async all(db: Executor, params: P): Promise<O[]> {
    return (await this.run(db, params)).rows;
  }

  /** Its first row, if any. */
  async first(db: Executor, params: P): Promise<O | undefined> {
    return (await this.run(db, params)).rows[0];
  }

  /** How many rows a write changed (updates and deletes; inserts report theirs too). */
  async changed(db: Executor, params: P): Promise<number> {
    const r = await this.run(db, params);
    return Number(r.numAffectedRows ?? 0);
  }

  /** The SQL it compiled to on `db`'s dialect (tests and benchmarks). */
  sql(db: Executor): string {
    return this.#compile(db).query.sql;
  }
}

/** Declare a hot statement: `build` writes it with the builder, naming each varying value with `p('name')`. */
export function prepare<P extends object, O>(
  build: (db: Executor, p: Param<P>) => Compilable<O>,
): Prepared<P, O> {
  return new Prepared(build);
}

/**
 * One statement per value of a small, fixed set (a status a move leaves, a requested size),
 * made on first use: the value is then a constant of its statement, written into its SQL,
 * where a parameter would be bound on every run (and on SQLite, when it decides a partial
 * index, plan the statement again each time; ADR 0040). Not for open-ended values such as ids.
 */
export function perValue<K, S>(make: (value: K) => S): (value: K) => S {
  const made = new Map<K, S>();
  return (value) => {
    let s = made.get(value);
    if (!s) made.set(value, (s = make(value)));
    return s;
  };
}

/**
 * A hot write whose changed columns vary with the call (an update from a patch object): one
 * Prepared per set of columns, compiled the first time that set comes. `build` gets `values`,
 * each of the call's columns with a placeholder named after it, to pass to `set` or `values`;
 * the call's other parameters must not share a column's name.
 */
export class PreparedByColumns<P extends object, O> {
  readonly #byColumns = new Map<string, Prepared<P, O>>();

  constructor(
    private readonly build: (
      db: Executor,
      p: Param<P>,
      values: Record<string, unknown>,
    ) => Compilable<O>,
  ) {}

  /** The statement for the columns of `patch` that have a value (undefined ones are left out, as the builder does). */
  for(patch: object): Prepared<P, O> {
    const values = patch as Record<string, unknown>;
    const columns = Object.keys(values)
      .filter((k) => values[k] !== undefined)
      .sort();
    for (const c of columns) {
      const v = values[c];
      // A value is bound as it is: an SQL expression here would be bound as an object, not run.
      if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array))
        throw new Error(`column ${c}: only plain values can be bound, not ${String(v)}`);
    }
    if (columns.length === 0) throw new Error('nothing to change: the patch has no values');
    const key = columns.join(',');
    let q = this.#byColumns.get(key);
    if (!q) {
      q = new Prepared((db, p) => {
        const slot = p as unknown as (name: string) => unknown; // a column is a parameter name here
        return this.build(db, p, Object.fromEntries(columns.map((c) => [c, slot(c)])));
      });
      this.#byColumns.set(key, q);
    }
    return q;
  }
}

/** Declare a hot write whose columns come from a patch object (see PreparedByColumns). */
export function prepareByColumns<P extends object, O>(
  build: (db: Executor, p: Param<P>, values: Record<string, unknown>) => Compilable<O>,
): PreparedByColumns<P, O> {
  return new PreparedByColumns(build);
}

/** A row's column value in a multi-row statement while it is compiled. */
class RowSlot {
  constructor(
    readonly row: number,
    readonly column: number,
  ) {}
}

/** Rows a multi-row statement takes at most: more go in several statements. */
export const ROWS_PER_STATEMENT = 64;

/**
 * A multi-row insert (or upsert) compiled once per dialect and row count, up to
 * `ROWS_PER_STATEMENT` rows a statement, instead of rebuilt for every call: Kysely's builder
 * walks every value of every row (an insert of ten six-column rows cost about as much to
 * build as to run), and SQLite parses and plans each new row count's SQL again. At most
 * `ROWS_PER_STATEMENT` shapes per dialect, so the statement cache keeps them all. Every row
 * has every column (null where it has no value).
 */
export class PreparedRows<R extends object> {
  readonly #compiled = new Map<unknown, Map<number, { query: CompiledQuery; slots: unknown[] }>>();

  constructor(
    private readonly columns: readonly (keyof R & string)[],
    private readonly build: (db: Executor, rows: Record<string, unknown>[]) => Compilable<unknown>,
  ) {}

  #compile(db: Executor, n: number) {
    const dialect = db.getExecutor().adapter.constructor;
    let byCount = this.#compiled.get(dialect);
    if (!byCount) this.#compiled.set(dialect, (byCount = new Map()));
    let c = byCount.get(n);
    if (!c) {
      const rows = Array.from({ length: n }, (_, r) =>
        Object.fromEntries(this.columns.map((col, k) => [col, new RowSlot(r, k)])),
      );
      const node = inlineConstants.transformNode(
        (this.build(db, rows) as unknown as OperationNodeSource).toOperationNode(),
      ) as RootOperationNode;
      const query = db.getExecutor().compileQuery(node, createQueryId());
      c = { query, slots: [...query.parameters] };
      byCount.set(n, c);
    }
    return c;
  }

  /** Write `rows` in the caller's database or transaction; returns how many rows the statements changed. */
  async write(db: Executor, rows: readonly R[]): Promise<number> {
    // Every row checked before the first statement: a bad row writes none of them.
    rows.forEach((row, i) => {
      for (const c of this.columns)
        if ((row as Record<string, unknown>)[c] === undefined)
          throw new Error(`row ${i}: no value for ${c} (use null)`);
    });
    let changed = 0;
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const n = Math.min(ROWS_PER_STATEMENT, rows.length - i);
      const { query, slots } = this.#compile(db, n);
      const parameters = slots.map((s) =>
        s instanceof RowSlot
          ? (rows[i + s.row] as Record<string, unknown>)[this.columns[s.column]!]
          : s,
      );
      const r = await db.executeQuery({ ...query, parameters });
      changed += Number(r.numAffectedRows ?? 0);
    }
    return changed;
  }

  /** The SQL it compiles to for `n` rows on `db`'s dialect (tests). */
  sql(db: Executor, n: number): string {
    return this.#compile(db, n).query.sql;
  }
}

/** Declare a hot multi-row write: `build` inserts `rows` (each column a placeholder) with the builder. */
export function prepareRows<R extends object>(
  columns: readonly (keyof R & string)[],
  build: (db: Executor, rows: Record<string, unknown>[]) => Compilable<unknown>,
): PreparedRows<R> {
  return new PreparedRows(columns, build);
}
