export * from './local-disk-storage';
export * from './object-key';
export * from './storage-driver';
