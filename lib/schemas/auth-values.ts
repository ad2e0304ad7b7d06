// Password lengths, beside the account schemas (auth.ts) so that forms can say them without
// loading the validator, and lib/env.ts can check ADMIN_PASSWORD by the same rule.

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
