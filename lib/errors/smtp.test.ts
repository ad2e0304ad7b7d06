import { describe, expect, it } from 'vitest';
import { explainError } from '@/lib/errors/catalog';
import {
  classifySmtpFailure,
  classifySmtpReply,
  explainSmtpError,
  parseSmtpReply,
  SMTP_ERROR_CODES,
} from '@/lib/errors/smtp';

describe('SMTP replies', () => {
  it('splits a reply into code, enhanced code and text', () => {
    expect(parseSmtpReply('550 5.7.1 Daily sending limit reached')).toEqual({
      code: 550,
      enhanced: '5.7.1',
      text: 'Daily sending limit reached',
    });
    expect(parseSmtpReply('421 Timeout - closing connection')).toEqual({
      code: 421,
      enhanced: null,
      text: 'Timeout - closing connection',
    });
    expect(parseSmtpReply('HTTP/1.1 400 Bad Request')).toBeNull();
  });

  it.each([
    ['535 5.7.8 Authentication credentials invalid', 'AUTH PLAIN', 'smtp_auth_failed'],
    ['535 Error: Username and Password not accepted', undefined, 'smtp_auth_failed'],
    ['538 Error: Must issue a STARTTLS command first', 'AUTH PLAIN', 'smtp_encryption_required'],
    ['530 5.7.0 Authentication required', 'MAIL FROM', 'smtp_auth_required'],
    ['550 5.7.1 Daily sending limit reached', 'DATA', 'smtp_daily_limit'],
    ['550 5.7.1 Sender not allowed', 'DATA', 'smtp_sender_not_allowed'],
    ['553 5.1.7 Sender address rejected', 'MAIL FROM', 'smtp_sender_not_allowed'],
    ['552 5.7.0 Insufficient credits: the team balance is too low', 'DATA', 'smtp_insufficient_credits'],
    ['552 5.3.4 Message too big', 'DATA', 'smtp_message_too_large'],
    ['552 Error: message exceeds fixed maximum message size 26214400', 'DATA', 'smtp_message_too_large'],
    ['550 5.1.1 No such user', 'RCPT TO', 'smtp_recipient_rejected'],
    ['451 4.7.1 Rate limit exceeded, try again later', 'MAIL FROM', 'smtp_rate_limited'],
    ['451 4.3.2 Service temporarily unavailable', 'DATA', 'smtp_try_later'],
    ['421 4.4.2 Connection dropped', 'DATA', 'smtp_try_later'],
    ['554 5.6.0 The message failed validation', 'DATA', 'smtp_rejected'],
  ])('%s (after %s) → %s', (reply, command, code) => {
    expect(classifySmtpReply(reply, command)).toBe(code);
  });
});

describe('SMTP client failures', () => {
  it.each([
    [
      { code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:2525' },
      'smtp_connection_refused',
    ],
    [
      { code: 'EDNS', originalCode: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND smtp.example' },
      'smtp_host_not_found',
    ],
    [
      {
        code: 'ETLS',
        originalCode: 'SELF_SIGNED_CERT_IN_CHAIN',
        message: 'self-signed certificate in certificate chain',
      },
      'smtp_cert_untrusted',
    ],
    [{ code: 'ETLS', originalCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'smtp_cert_untrusted'],
    [{ code: 'ETLS', originalCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'smtp_cert_hostname'],
    [{ code: 'ETLS', originalCode: 'CERT_HAS_EXPIRED' }, 'smtp_cert_expired'],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, 'smtp_timeout'],
    [
      { code: 'ETLS', command: 'STARTTLS', responseCode: 454, response: '454 4.7.0 TLS not available' },
      'smtp_tls_failed',
    ],
    [
      { code: 'ECONNECTION', command: 'CONN', responseCode: 421, response: '421 Too many connections' },
      'smtp_try_later',
    ],
    [
      { code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535, response: '535 5.7.8 nope' },
      'smtp_auth_failed',
    ],
    [
      { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.1.1 unknown' },
      'smtp_recipient_rejected',
    ],
    [{ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'smtp_connection_lost'],
    [{ code: 'ESOCKET', originalCode: 'ECONNRESET' }, 'smtp_connection_lost'],
    [{ code: 'EPROTOCOL', message: 'Invalid greeting' }, 'smtp_protocol_error'],
    [{ message: 'something else' }, 'smtp_error'],
  ])('%o → %s', (failure, code) => {
    expect(classifySmtpFailure(failure)).toBe(code);
  });
});

describe('SMTP explanations', () => {
  it('every code says what it means and what to do, through the one catalog entry point', () => {
    for (const code of SMTP_ERROR_CODES) {
      const e = explainError(code);
      expect(e).toMatchObject({ code, known: true });
      expect(e.meaning.length).toBeGreaterThan(20);
      expect(e.action.length).toBeGreaterThan(20);
    }
  });

  it('tells the two sides apart: the server refused, or the way to it failed', () => {
    expect(explainSmtpError('smtp_auth_failed').origin).toBe('sendmux');
    expect(explainSmtpError('smtp_daily_limit').retry).toBe('later');
    expect(explainSmtpError('smtp_cert_untrusted').origin).toBe('client');
    expect(explainSmtpError('smtp_no_starttls').meaning).toMatch(/key was not sent/);
    expect(explainSmtpError('smtp_error', 'boom').meaning).toMatch(/said: boom$/);
  });
});
