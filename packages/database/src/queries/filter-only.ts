import { sql, type SQL } from 'drizzle-orm';

/**
 * A condition PostgreSQL checks on the rows it finds but never uses to find them: not as an index
 * condition, and not to choose a partial index. For lookups by primary key that also name the org
 * (and a status). On a table without statistics yet (a new deployment, a test database) the
 * planner rates an index led by `org_id`, or a small partial index such as the running steps',
 * as cheap as the primary key; a generic plan made then is kept for the connection's life and
 * scans every run of the org on each lookup. Hand-written SQL spells it `(...) is true` likewise.
 */
export function filterOnly(condition: SQL): SQL {
  return sql`(${condition}) is true`;
}
