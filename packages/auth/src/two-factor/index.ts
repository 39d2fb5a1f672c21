export { disableTwoFactor } from './disable-two-factor';
export { enableTwoFactor } from './enable-two-factor';
export { RECOVERY_CODE_COUNT } from './recovery-codes';
export { regenerateRecoveryCodes } from './regenerate-recovery-codes';
export {
  confirmationFailedError,
  secondFactorInvalidError,
  secondFactorRequiredError,
} from './second-factor-errors';
export { setUpTwoFactor, type TwoFactorSetup } from './set-up-two-factor';
export { TOTP_DIGITS, TOTP_PERIOD_SECONDS } from './totp';
export { enableTwoFactorSchema, type EnableTwoFactorInput } from './two-factor-schemas';
export {
  isTwoFactorEnabled,
  verifySecondFactor,
  type SecondFactorMethod,
} from './verify-second-factor';
