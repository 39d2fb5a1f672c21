export { decryptSecret, encryptSecret } from './encrypt-secret';
export { generateSecretToken, hashToken } from './hash-token';
// Shared with the workers (their /metrics token); auth's callers keep importing it from here.
export { safeEqual } from '@switchyard/shared';
