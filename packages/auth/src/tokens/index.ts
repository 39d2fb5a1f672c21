export { ensureSigningKey } from './ensure-signing-key';
export { getJwks, type Jwks } from './get-jwks';
export { ACCESS_TOKEN_TYPE, issueAccessToken, type IssuedAccessToken } from './issue-access-token';
export { rotateSigningKey } from './rotate-signing-key';
export { verifyAccessToken, type VerifiedAccessToken } from './verify-access-token';
