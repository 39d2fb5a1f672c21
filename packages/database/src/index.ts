export * as schema from './schema';
export type {
  AuditEvent,
  Membership,
  MembershipRole,
  NewAuditEvent,
  Organization,
  User,
} from './schema';
export { MEMBERSHIP_ROLES } from './schema';
export {
  createDatabase,
  pingDatabase,
  type CreateDatabaseOptions,
  type Database,
  type DatabaseExecutor,
  type DatabaseHandle,
  type Transaction,
} from './client';
export { createDatabaseIfMissing } from './create-database-if-missing';
export { getPgErrorCode, isUniqueViolation } from './errors';
export { getMigrationStatus, runMigrations, type RunMigrationsOptions } from './migrate';
export { resolveMigrationsDir, type MigrationsDirOptions } from './migration-files';
export * from './queries/audit-log';
export * from './queries/memberships';
export * from './queries/organizations';
export * from './queries/users';
