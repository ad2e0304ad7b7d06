import { describe, expect, it } from 'vitest';
import { decodePrompt, redactCommand, scrubSecret, secretForms } from '@/lib/sendmux/smtp-redact';

const KEY = 'smx_mbx_0123456789abcdefghijklmnop';
const FORMS = secretForms(KEY);

describe('transcript redaction', () => {
  it('hides the AUTH PLAIN token whatever it holds', () => {
    const token = Buffer.from(`\0sendmux\0${KEY}`).toString('base64');
    expect(redactCommand(`AUTH PLAIN ${token}`, '250 OK', FORMS)).toEqual({ text: 'AUTH PLAIN ***' });
    expect(redactCommand('AUTH PLAIN', '250 OK', FORMS)).toEqual({ text: 'AUTH PLAIN' });
    // The two-step form: the token answers a bare 334.
    expect(redactCommand(token, '334 ', FORMS)).toEqual({ text: '***' });
  });

  it('hides the AUTH LOGIN password line and shows the username decoded', () => {
    expect(redactCommand(Buffer.from(KEY).toString('base64'), '334 UGFzc3dvcmQ6', FORMS)).toEqual({
      text: '***',
      note: 'the key, never shown',
    });
    expect(redactCommand('c2VuZG11eA==', '334 VXNlcm5hbWU6', FORMS)).toEqual({
      text: 'c2VuZG11eA==',
      note: 'base64 of "sendmux"',
    });
    expect(decodePrompt('334 VXNlcm5hbWU6')).toBe('Username:');
  });

  it('scrubs the key and its base64 at any alignment from any other line', () => {
    for (const prefix of ['', 'a', 'ab', '\0user\0']) {
      const b64 = Buffer.from(`${prefix}${KEY}`).toString('base64');
      expect(scrubSecret(`X ${b64} Y`, FORMS)).not.toMatch(/[A-Za-z0-9+/]{20,}/);
    }
    expect(scrubSecret(`MAIL FROM:<${KEY}@example.com>`, FORMS)).toBe('MAIL FROM:<***@example.com>');
    expect(redactCommand(`RCPT TO:<${KEY}@example.com>`, '250 OK', FORMS).text).toBe(
      'RCPT TO:<***@example.com>',
    );
  });
});
