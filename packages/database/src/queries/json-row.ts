import { getTableColumns, type Table } from 'drizzle-orm';

/** A row of `table` as `row_to_json` gives it, read back into drizzle's shape. */
export function fromJsonRow<T>(table: Table, json: Record<string, unknown>): T {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    // jsonb values arrive parsed; everything else (timestamps, bigints) as the driver would.
    row[key] =
      value === null || value === undefined
        ? null
        : column.columnType === 'PgJsonb'
          ? value
          : column.mapFromDriverValue(value);
  }
  return row as T;
}
