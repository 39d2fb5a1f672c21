export { decryptSecret, encryptSecret } from './encrypt-secret';
export { generateSecretToken, hashToken } from './hash-token';
export { safeEqual } from './safe-equal';
