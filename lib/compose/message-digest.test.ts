import { describe, expect, it } from 'vitest';
import { emptyMessage } from '@/lib/schemas/message-values';
import { messageDigest } from './message-digest';

const message = { ...emptyMessage(), subject: 'Hello', htmlBody: '<p>Hi</p>' };

describe('messageDigest', () => {
  it('is the same for the same profile and message', () => {
    expect(messageDigest('default', message)).toBe(messageDigest('default', structuredClone(message)));
    expect(messageDigest('default', message)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with any field, the profile, or a one-character edit', () => {
    const base = messageDigest('default', message);
    expect(messageDigest('other', message)).not.toBe(base);
    expect(messageDigest('default', { ...message, subject: 'Hellp' })).not.toBe(base);
    expect(messageDigest('default', { ...message, htmlBody: '<p>Hi!</p>' })).not.toBe(base);
    expect(messageDigest('default', { ...message, textBody: ' ' })).not.toBe(base);
  });
});
