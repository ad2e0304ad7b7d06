import { describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from '@/lib/auth/password';

describe('password hashing', () => {
  it(
    'uses OWASP scrypt parameters by default and verifies the right password only',
    { timeout: 60_000 },
    async () => {
      const hash = await hashPassword('correct horse battery staple');
      expect(hash.startsWith(`scrypt$${SCRYPT_PARAMS.N}$8$1$`)).toBe(true);
      expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
      expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
      expect(await verifyPassword('', hash)).toBe(false);
    },
  );

  it('salts every hash', async () => {
    const a = await hashPassword('same password here', { N: 1024, r: 8, p: 1 });
    const b = await hashPassword('same password here', { N: 1024, r: 8, p: 1 });
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password here', a)).toBe(true);
    expect(await verifyPassword('same password here', b)).toBe(true);
  });

  it('reads the parameters stored with the hash', async () => {
    const weak = await hashPassword('older hash params', { N: 2048, r: 4, p: 1 });
    expect(weak.split('$').slice(1, 4)).toEqual(['2048', '4', '1']);
    expect(await verifyPassword('older hash params', weak)).toBe(true);
  });

  it('rejects malformed stored values instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$10$abc')).toBe(false);
  });
});
