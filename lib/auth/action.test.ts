import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

const session = vi.hoisted(() => ({ user: null as null | { id: string; email: string; role: string } }));

// The wrapper's order is what is under test, so the session check is replaced by one that
// throws like Next's redirect() when nobody is signed in.
vi.mock('@/lib/auth/require-role', () => ({
  requireRole: vi.fn(async () => {
    if (!session.user) throw new Error('NEXT_REDIRECT /sign-in');
    return session.user;
  }),
}));
vi.mock('@/lib/sendmux/profiles', () => ({ hasProfile: (name: string) => name === 'default' }));

const { publicAction, requireProfile, roleAction } = await import('@/lib/auth/action');

const schema = z.object({ n: z.number().int() });

describe('roleAction', () => {
  beforeEach(() => {
    session.user = { id: 'u1', email: 'a@example.com', role: 'sender' };
  });

  it('checks the session before it reads the input, and runs nothing for a signed-out caller', async () => {
    session.user = null;
    const fn = vi.fn();
    const action = roleAction('sender', schema, fn);
    await expect(action({ n: 'not a number' } as never)).rejects.toThrow('NEXT_REDIRECT');
    expect(fn).not.toHaveBeenCalled();
  });

  it('answers bad input with field errors and never runs the body', async () => {
    const fn = vi.fn();
    const result = await roleAction('sender', schema, fn)({ n: 1.5 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
      fieldErrors: { n: [expect.any(String)] },
    });
    expect(fn).not.toHaveBeenCalled();
  });

  it('hands the parsed input and the user to the body', async () => {
    const result = await roleAction('sender', schema, async ({ n }, { user }) => ({
      ok: true,
      data: `${user.email}:${n * 2}`,
    }))({ n: 21 });
    expect(result).toEqual({ ok: true, data: 'a@example.com:42' });
  });

  it('turns requireProfile into a field error on profile, and lets real errors through', async () => {
    const action = roleAction('sender', z.object({ profile: z.string() }), async ({ profile }) => ({
      ok: true,
      data: requireProfile(profile),
    }));
    expect(await action({ profile: 'default' })).toEqual({ ok: true, data: 'default' });
    expect(await action({ profile: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_profile' },
      fieldErrors: { profile: ['Choose a configured key profile'] },
    });
    const broken = roleAction('sender', schema, async () => {
      throw new Error('bug');
    });
    await expect(broken({ n: 1 })).rejects.toThrow('bug');
  });
});

describe('publicAction', () => {
  it('validates without a session', async () => {
    session.user = null;
    const action = publicAction(schema, async ({ n }) => ({ ok: true, data: n }));
    expect(await action({ n: 3 })).toEqual({ ok: true, data: 3 });
    expect(await action({ n: 'x' } as never)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
