export * as schema from './schema';
export type {
  AuditEvent,
  Membership,
  MembershipRole,
  NewAuditEvent,
  Organization,
  PlanTier,
  User,
} from './schema';
export { MEMBERSHIP_ROLES, PLAN_TIERS } from './schema';
export {
  createDatabase,
  deferCommitFlush,
  pingDatabase,
  runPipelinedStatements,
  runTransaction,
  type PipelinedStatement,
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
export * from './queries/api-keys';
export * from './queries/auth-tokens';
export * from './queries/invitations';
export * from './queries/mail-outbox';
export * from './queries/oauth-accounts';
export * from './queries/refresh-tokens';
export * from './queries/sessions';
export * from './queries/signing-keys';
export * from './queries/two-factor';
export * from './queries/agents';
export * from './queries/teams';
export * from './queries/runs';
export * from './queries/insert-run-with-steps';
export * from './queries/run-target-context';
export * from './queries/steps';
export * from './queries/run-events';
export * from './queries/usage-records';
export * from './queries/tool-executions';
export * from './queries/schedules';
export type { PageCursor } from './queries/pagination';
export {
  TEAM_STRATEGIES,
  RUN_STATUSES,
  TERMINAL_RUN_STATUSES,
  STEP_KINDS,
  STEP_STATUSES,
} from './schema';
export type { AgentParameters, RunTargetKind } from './schema';
