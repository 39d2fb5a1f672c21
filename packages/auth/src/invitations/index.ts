export * from './accept-invitation';
export * from './create-invitation';
export * from './invitation-mail';
export * from './invitation-schemas';
export * from './invitation-view';
export * from './list-invitations';
export * from './revoke-invitation';
