import { getTableColumns, is, SQL, sql, type Placeholder, type Table } from 'drizzle-orm';
import type { DatabaseExecutor } from './client';

/** What drizzle's `.prepare(name)` gives: a statement built once, run with fresh values. */
type PreparedStatement<Result> = {
  execute(values?: Record<string, unknown>): Promise<Result>;
};

type Preparable<Result> = { prepare(name: string): PreparedStatement<Result> };

/**
 * Drizzle builds a statement's SQL text from its query tree on every call, and on this kind of
 * machine that costs more CPU than the round trip itself (about 300 µs against 200 µs for a
 * select of one run). The engine's hot statements have a fixed shape, so they are built once,
 * named (PostgreSQL parses a named statement once per connection) and then executed with fresh
 * placeholder values on whichever executor the caller holds: the pool or an open transaction.
 *
 * `name` must be unique among statements; `build` receives an executor only to reach drizzle's
 * builder and must use `sql.placeholder(...)` for every value that changes between calls.
 */
export function reusableStatement<Result>(
  name: string,
  build: (db: DatabaseExecutor) => Preparable<Result>,
): (db: DatabaseExecutor, values: Record<string, unknown>) => Promise<Result> {
  const variants = reusableStatementVariants(name, build);
  return (db, values) => variants(db, '', values, undefined);
}

/**
 * A family of reusable statements, one per variant (a number of rows, a set of columns), each
 * built on first use from `input` (what the builder needs beyond the variant's name, such as the
 * placeholders of its rows). Keep the variants few: each is a named statement per connection.
 */
export function reusableStatementVariants<Result, Input = undefined>(
  name: string,
  build: (db: DatabaseExecutor, variant: string, input: Input) => Preparable<Result>,
): (
  db: DatabaseExecutor,
  variant: string,
  values: Record<string, unknown>,
  input: Input,
) => Promise<Result> {
  const statements = new Map<string, PreparedStatement<Result>>();
  return (db, variant, values, input) => {
    let prepared = statements.get(variant);
    if (!prepared) {
      prepared = build(db, variant, input).prepare(
        statements.size === 0 ? name : `${name}#${statements.size + 1}`,
      );
      statements.set(variant, prepared);
    }
    return onExecutor(prepared, db).execute(values);
  };
}

/**
 * Placeholders for a row of column values (an `update ... set`, an inserted row): a placeholder
 * per value that is not undefined, except that nulls stay literal NULLs (a placeholder passes its
 * value through the column's encoder, which would store a JSON `null` in a jsonb column instead
 * of SQL NULL). With `table`, columns with an `$onUpdate` function (`updated_at`) get a
 * placeholder too, filled with a fresh value on every execution where drizzle would have frozen
 * the value of the first build into the statement. Undefined when a value is an SQL expression:
 * that is statement text, so such a call must take the plain path.
 */
export function placeholderRow(
  prefix: string,
  row: Record<string, unknown>,
  onUpdateOf?: Table,
):
  | {
      shape: string;
      placeholders: Record<string, Placeholder | null>;
      values: Record<string, unknown>;
    }
  | undefined {
  const keys = Object.keys(row)
    .filter((key) => row[key] !== undefined)
    .sort();
  if (keys.some((key) => is(row[key], SQL))) return undefined;
  const placeholders: Record<string, Placeholder | null> = {};
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    if (row[key] === null) {
      placeholders[key] = null;
    } else {
      placeholders[key] = sql.placeholder(`${prefix}${key}`);
      values[`${prefix}${key}`] = row[key];
    }
  }
  if (onUpdateOf) {
    for (const { key, refresh } of onUpdateColumns(onUpdateOf)) {
      if (key in placeholders) continue;
      placeholders[key] = sql.placeholder(`${prefix}${key}`);
      values[`${prefix}${key}`] = refresh();
    }
  }
  const shape = keys.map((key) => (row[key] === null ? `${key}=null` : key)).join(',');
  return { shape, placeholders, values };
}

const onUpdateByTable = new WeakMap<Table, { key: string; refresh: () => unknown }[]>();

/** The table's columns with an `$onUpdate` function, looked up once per table. */
function onUpdateColumns(table: Table): { key: string; refresh: () => unknown }[] {
  let columns = onUpdateByTable.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table)).flatMap(([key, column]) => {
      const refresh = column.onUpdateFn;
      return refresh ? [{ key, refresh }] : [];
    });
    onUpdateByTable.set(table, columns);
  }
  return columns;
}

/**
 * For `update ... set` statements whose shape depends on which columns a call sets: one reusable
 * statement per shape (see `placeholderRow`) and per `variant` (such as whether a status filter
 * is applied). Resolves undefined when the call must take the plain path.
 */
export function reusableUpdate<Set extends Record<string, unknown>, Result>(
  name: string,
  table: Table,
  build: (
    db: DatabaseExecutor,
    set: Record<string, Placeholder | null>,
    variant: string,
  ) => Preparable<Result>,
): (
  db: DatabaseExecutor,
  set: Set,
  values: Record<string, unknown>,
  variant?: string,
) => Promise<Result> | undefined {
  const variants = reusableStatementVariants(
    name,
    (db, key, placeholders: Record<string, Placeholder | null>) =>
      build(db, placeholders, key.slice(key.indexOf('|') + 1)),
  );
  return (db, set, values, variant = '') => {
    const row = placeholderRow('set_', set, table);
    if (!row) return undefined;
    return variants(db, `${row.shape}|${variant}`, { ...values, ...row.values }, row.placeholders);
  };
}

/**
 * The prepared statement, running on `db`'s connection: drizzle binds a prepared statement to
 * the session it was built on (its `client`), so a view of it with the caller's client is made.
 * The client of a transaction is its checked-out connection, that of the database the pool.
 */
function onExecutor<Result>(
  prepared: PreparedStatement<Result>,
  db: DatabaseExecutor,
): PreparedStatement<Result> {
  const client = sessionClient(db);
  if ((prepared as unknown as { client: unknown }).client === client) return prepared;
  return Object.create(prepared, { client: { value: client } }) as PreparedStatement<Result>;
}

/** The node-postgres pool (database) or checked-out client (transaction) behind an executor. */
export function sessionClient(db: DatabaseExecutor): {
  query: (config: { name?: string; text: string; values?: unknown[] }) => Promise<{
    rows: Record<string, unknown>[];
  }>;
} {
  return (db as unknown as { session: { client: ReturnType<typeof sessionClient> } }).session
    .client;
}
