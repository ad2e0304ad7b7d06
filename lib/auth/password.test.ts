import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  PasswordCheckBusyError,
  passwordSlots,
  SCRYPT_PARAMS,
  Semaphore,
  verifyPassword,
} from '@/lib/auth/password';

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

describe('password check slots', () => {
  it('runs at most `limit` tasks at once, the rest in order, and refuses past the queue', async () => {
    const slots = new Semaphore(2, 3);
    const gates: (() => void)[] = [];
    const started: number[] = [];
    let peak = 0;
    const task = (i: number) =>
      slots.run(async () => {
        started.push(i);
        peak = Math.max(peak, slots.active);
        await new Promise<void>((resolve) => gates.push(resolve));
        return i;
      });
    const runs = [0, 1, 2, 3, 4].map(task);
    await expect(task(5)).rejects.toBeInstanceOf(PasswordCheckBusyError);
    expect(slots.waiting).toBe(3);
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    while (started.length < 5 || gates.length > 0) {
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(slots.active).toBe(0);
  });

  it('every scrypt run takes one of the shared slots', async () => {
    const hash = await hashPassword('slot test password', { N: 1024, r: 8, p: 1 });
    const release: (() => void)[] = [];
    const held = Array.from({ length: passwordSlots.limit }, () =>
      passwordSlots.run(() => new Promise<void>((resolve) => release.push(resolve))),
    );
    const check = verifyPassword('slot test password', hash);
    // Both slots are taken, so the check waits instead of starting its own scrypt.
    expect(passwordSlots.waiting).toBe(1);
    await new Promise((r) => setImmediate(r));
    for (const r of release) r();
    await Promise.all(held);
    expect(await check).toBe(true);
    expect(passwordSlots.active).toBe(0);
  });
});
