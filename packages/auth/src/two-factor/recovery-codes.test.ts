import { describe, expect, it } from 'vitest';
import { generateRecoveryCodes, hashRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes';

describe('recovery codes', () => {
  it('generates ten distinct codes of four groups', () => {
    const codes = generateRecoveryCodes();

    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  });

  it('hashes a code the same however it is typed, and never to the code itself', () => {
    const [code = ''] = generateRecoveryCodes(1);

    expect(hashRecoveryCode(` ${code.toUpperCase().replaceAll('-', ' ')} `)).toBe(
      hashRecoveryCode(code),
    );
    expect(hashRecoveryCode(code)).not.toContain(code.replaceAll('-', ''));
  });
});
