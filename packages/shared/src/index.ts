export * from './config';
export * from './errors';
export * from './ids';
export * from './logger';
export * from './redis';
export * from './safe-equal';
