import { describe, expect, it, vi } from 'vitest';
import { lazyZodResolver } from '@/lib/forms/lazy-resolver';
import { signInSchema } from '@/lib/schemas/auth';

const options = { fields: {}, shouldUseNativeValidation: false } as const;

describe('lazyZodResolver', () => {
  it('validates exactly as zodResolver, loading the schema once', async () => {
    const load = vi.fn(async () => signInSchema);
    const resolver = lazyZodResolver(load);
    expect(load).not.toHaveBeenCalled();
    const bad = await resolver({ email: 'nope', password: '' }, undefined, options);
    expect(Object.keys(bad.errors)).toEqual(['email', 'password']);
    expect(bad.errors.email?.message).toBe('Enter a valid email address, like name@example.com');
    const good = await resolver({ email: ' Ada@Example.com ', password: 'x' }, undefined, options);
    expect(good.errors).toEqual({});
    expect(good.values).toEqual({ email: 'Ada@Example.com', password: 'x' });
    resolver.preload();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tries the download again after it failed', async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(signInSchema);
    const resolver = lazyZodResolver(load);
    await expect(resolver({ email: 'a@b.co', password: 'x' }, undefined, options)).rejects.toThrow('offline');
    expect((await resolver({ email: 'a@b.co', password: 'x' }, undefined, options)).errors).toEqual({});
    expect(load).toHaveBeenCalledTimes(2);
  });
});
