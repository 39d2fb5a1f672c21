export * from './can';
export * from './permissions';
export type { AuditContext } from './audit-context';
