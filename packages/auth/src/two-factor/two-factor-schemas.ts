import { z } from 'zod';
import { totpCodeSchema } from '../accounts/account-schemas';

export const enableTwoFactorSchema = z.object({ code: totpCodeSchema });
export type EnableTwoFactorInput = z.infer<typeof enableTwoFactorSchema>;
