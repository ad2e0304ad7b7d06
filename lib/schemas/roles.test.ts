import { describe, expect, it } from 'vitest';
import { hasRole, ROLES } from '@/lib/schemas/roles';

describe('role checks', () => {
  it.each([
    ['admin', 'admin', true],
    ['admin', 'sender', true],
    ['admin', 'support', true],
    ['sender', 'admin', false],
    ['sender', 'sender', true],
    ['sender', 'support', true],
    ['support', 'admin', false],
    ['support', 'sender', false],
    ['support', 'support', true],
  ] as const)('%s may do what needs %s: %s', (role, required, expected) => {
    expect(hasRole(role, required)).toBe(expected);
  });

  it('knows exactly three roles', () => {
    expect([...ROLES]).toEqual(['admin', 'sender', 'support']);
  });
});
