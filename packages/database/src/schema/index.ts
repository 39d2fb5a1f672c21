export * from './audit-log';
export * from './memberships';
export * from './organizations';
export * from './users';
