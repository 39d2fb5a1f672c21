export {
  assertPasswordPolicy,
  findPasswordProblem,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from './check-password-policy';
export { hashPassword, verifyPassword, type PasswordCheck } from './hash-password';
