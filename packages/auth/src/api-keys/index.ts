export * from './api-key-format';
export * from './api-key-schemas';
export * from './api-key-view';
export * from './authenticate-api-key';
export * from './create-api-key';
export * from './list-api-keys';
export * from './revoke-api-key';
export * from './revoke-api-key-by-id';
