// Client-safe: what an SMTP test send's failure means and what to do, for the transcript panel,
// the request log and the support bundle. Codes are the console's own (smtp_…): SMTP replies are
// a number, an optional enhanced code and free text, and the same 550 can mean several things.

import type { ErrorExplanation, RetryAdvice } from '@/lib/errors/catalog';

export const SMTP_ERROR_CODES = [
  'smtp_auth_failed',
  'smtp_auth_required',
  'smtp_encryption_required',
  'smtp_daily_limit',
  'smtp_sender_not_allowed',
  'smtp_insufficient_credits',
  'smtp_message_too_large',
  'smtp_recipient_rejected',
  'smtp_rate_limited',
  'smtp_try_later',
  'smtp_rejected',
  'smtp_connection_refused',
  'smtp_timeout',
  'smtp_host_not_found',
  'smtp_connection_lost',
  'smtp_cert_untrusted',
  'smtp_cert_hostname',
  'smtp_cert_expired',
  'smtp_no_starttls',
  'smtp_tls_failed',
  'smtp_protocol_error',
  'smtp_error',
] as const;

export type SmtpErrorCode = (typeof SMTP_ERROR_CODES)[number];

type Entry = { title: string; meaning: string; action: string; retry: RetryAdvice; retryNote: string };

const NO_RETRY = 'Sending the same test again fails the same way until this is fixed.';

const ENTRIES: Record<SmtpErrorCode, Entry> = {
  smtp_auth_failed: {
    title: 'Key not accepted (535)',
    meaning:
      'The server refused the password. Over SMTP the password is the Sendmux key: this one is wrong, revoked or expired, or was copied with a missing character. The username does not matter.',
    action:
      'Put the key of this profile in the tool’s password field exactly as issued (smx_mbx_…), with any username. Settings → Sendmux keys → Check connection tells whether the key itself works.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_auth_required: {
    title: 'Login required (530)',
    meaning: 'The server only takes mail from clients that log in first.',
    action:
      'Turn on authentication (AUTH LOGIN or PLAIN) in the tool, with any username and the Sendmux key as password.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_encryption_required: {
    title: 'Encryption required before login',
    meaning: 'The server refuses a login over an unencrypted connection.',
    action:
      'Turn on STARTTLS in the tool (often called “TLS”, “STARTTLS” or “Require encryption”) on port 587 or 2525.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_daily_limit: {
    title: 'Daily sending limit reached (550 5.7.1)',
    meaning: 'The plan’s daily sending cap for this key is used up; the server refuses more mail today.',
    action: 'Send the rest tomorrow, or raise the limit by upgrading the plan in the Sendmux dashboard.',
    retry: 'later',
    retryNote: 'Retrying today fails; it works again once the daily cap resets.',
  },
  smtp_sender_not_allowed: {
    title: 'Sender not allowed',
    meaning:
      'The server refused the From address: this key may not send for it, or its mailbox is inactive (550 5.7.1 or 553).',
    action:
      'Send from an address of this key’s mailbox or verified domain (Settings → Sendmux keys → Check connection lists them), or use the key that owns the address.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_insufficient_credits: {
    title: 'Not enough credits (552)',
    meaning: 'The team’s balance is too low to send this message.',
    action: 'Top up credits in the Sendmux dashboard, then send again.',
    retry: 'no',
    retryNote: 'Retrying fails until credits are added.',
  },
  smtp_message_too_large: {
    title: 'Message too large (552 5.3.4)',
    meaning: 'The message, attachments included, is larger than the server accepts (25 MB for Sendmux).',
    action: 'Make the message smaller: compress or remove attachments, or link to large files instead.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_recipient_rejected: {
    title: 'Recipient refused',
    meaning: 'The server refused a recipient address (a 5xx answer to RCPT TO).',
    action: 'Check the address for typos. The server’s answer below says why it refused it.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_rate_limited: {
    title: 'Rate limit reached',
    meaning:
      'Too many messages or requests with this key in the last minute. SMTP and the HTTP API share the key’s limit.',
    action:
      'Wait a minute and send again. SMTP tools retry 4xx answers by themselves; slow down bulk sends or spread them out.',
    retry: 'yes',
    retryNote: 'A retry after the wait succeeds.',
  },
  smtp_try_later: {
    title: 'Temporary failure: try later (4xx)',
    meaning:
      'The server could not take the message right now (421 or 451: busy, a passing fault, or shutting down). A 4xx answer means “keep the message and try again”.',
    action: 'Send again in a few minutes. SMTP tools queue and retry such messages on their own.',
    retry: 'yes',
    retryNote: 'A retry usually succeeds.',
  },
  smtp_rejected: {
    title: 'Message refused',
    meaning: 'The server refused the message for good (a 5xx answer). Its answer below says why.',
    action: 'Read the server’s answer, change the message or the settings it names, and send again.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_connection_refused: {
    title: 'Connection refused',
    meaning: 'Nothing accepts connections at this host and port, or a firewall actively refuses them.',
    action:
      'Check the host and port (Sendmux: smtp.sendmux.ai, 587 or 2525). In sandbox mode, check that the console’s SMTP listener is running (Settings → SMTP).',
    retry: 'later',
    retryNote: 'Retrying helps only once something listens there.',
  },
  smtp_timeout: {
    title: 'No answer in time',
    meaning:
      'The server did not answer within the timeout. Outgoing SMTP ports are often blocked by networks and cloud providers, which looks exactly like this.',
    action:
      'Try port 2525 instead of 587, and check the firewall or provider rules for outgoing connections. If it still times out, try again later.',
    retry: 'later',
    retryNote: 'Retrying helps if the server was only slow; a blocked port stays blocked.',
  },
  smtp_host_not_found: {
    title: 'Host not found',
    meaning: 'The host name could not be resolved in DNS.',
    action: 'Check the spelling of the host (smtp.sendmux.ai) and this machine’s DNS settings.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_connection_lost: {
    title: 'Connection lost',
    meaning:
      'The connection closed before the conversation finished. Whether the server kept the message is unknown if this happened after DATA.',
    action:
      'Send again; if it keeps happening, a proxy or firewall may be cutting SMTP connections. Check the transcript for where it stopped.',
    retry: 'yes',
    retryNote: 'A retry may send the message twice if the first one was taken before the drop.',
  },
  smtp_cert_untrusted: {
    title: 'Certificate not trusted',
    meaning:
      'The server’s TLS certificate is not signed by a certificate authority this console trusts (a self-signed or private CA). The console stopped before logging in, so the key was not sent.',
    action:
      'If this relay uses a private CA, put that CA’s certificate (PEM) in SENDMUX_SMTP_CA_FILE and restart the console. Otherwise something may be intercepting the connection: check SENDMUX_SMTP_URL.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_cert_hostname: {
    title: 'Certificate is for another host',
    meaning:
      'The server’s certificate does not name the host the console connected to, so the console cannot tell it is talking to the right server. No key was sent.',
    action:
      'Connect with the host name the certificate was issued for (smtp.sendmux.ai, not an IP address or an alias) in SENDMUX_SMTP_URL.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_cert_expired: {
    title: 'Certificate expired or not yet valid',
    meaning:
      'The server’s certificate is outside its validity dates (or this machine’s clock is wrong). No key was sent.',
    action: 'Check this machine’s date and time; if they are right, the server’s certificate needs renewing.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_no_starttls: {
    title: 'The server offered no STARTTLS',
    meaning:
      'The server did not offer STARTTLS, so logging in would have sent the key across the network in clear text. The console refused to log in: the key was not sent.',
    action:
      'Check the host and port: Sendmux offers STARTTLS on 587 and 2525. A server without it is not Sendmux, or something in between strips STARTTLS from the connection.',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_tls_failed: {
    title: 'TLS could not be set up',
    meaning: 'The encrypted connection failed to start (STARTTLS refused, or the TLS handshake failed).',
    action:
      'Check that the port speaks STARTTLS (587, 2525) rather than TLS from the first byte (465, use smtps:// then), and that nothing in between intercepts TLS.',
    retry: 'later',
    retryNote: 'Retrying helps only if the failure was passing.',
  },
  smtp_protocol_error: {
    title: 'Unexpected answer',
    meaning: 'The server answered something that is not valid SMTP at this point of the conversation.',
    action: 'Check that the host and port are an SMTP server (not HTTP or another service).',
    retry: 'no',
    retryNote: NO_RETRY,
  },
  smtp_error: {
    title: 'SMTP test failed',
    meaning: 'The test send failed for a reason the console could not classify.',
    action: 'Read the transcript: the last lines show where it stopped and what the server said.',
    retry: 'no',
    retryNote: 'Whether a retry helps depends on the cause shown in the transcript.',
  },
};

export function isSmtpErrorCode(code: string): code is SmtpErrorCode {
  return (SMTP_ERROR_CODES as readonly string[]).includes(code);
}

export function explainSmtpError(code: SmtpErrorCode, message?: string | null): ErrorExplanation {
  const e = ENTRIES[code];
  const client = /connection|timeout|host|cert|starttls|tls|protocol/.test(code) && code !== 'smtp_error';
  const meaning =
    code === 'smtp_error' && message ? `${e.meaning} The console’s client said: ${message}` : e.meaning;
  return { code, known: true, origin: client ? 'client' : 'sendmux', httpStatus: null, ...e, meaning };
}

/** A server reply split into its parts: `550 5.7.1 Daily sending limit reached`. */
export function parseSmtpReply(
  reply: string,
): { code: number; enhanced: string | null; text: string } | null {
  const m = /^([2-5]\d\d)[ -](?:([2-5]\.\d{1,3}\.\d{1,3})\s+)?(.*)$/s.exec(reply.trim());
  if (!m) return null;
  return { code: Number(m[1]), enhanced: m[2] ?? null, text: m[3]!.trim() };
}

/** The step of the conversation a failing reply answered, as nodemailer names it. */
export type SmtpCommand = 'CONN' | 'EHLO' | 'STARTTLS' | 'AUTH' | 'MAIL FROM' | 'RCPT TO' | 'DATA' | 'API';

/** What a failing server reply means, by its code, enhanced code, text and the command it answered. */
export function classifySmtpReply(reply: string, command?: string): SmtpErrorCode {
  const r = parseSmtpReply(reply);
  if (!r) return 'smtp_protocol_error';
  const text = r.text.toLowerCase();
  const cmd = (command ?? '').toUpperCase();
  if (r.code === 535 || (cmd.startsWith('AUTH') && r.code >= 500 && r.code !== 538 && r.code !== 530))
    return 'smtp_auth_failed';
  if (r.code === 538 || /starttls|encrypt/.test(text)) return 'smtp_encryption_required';
  if (r.code === 530) return 'smtp_auth_required';
  if (/daily/.test(text)) return 'smtp_daily_limit';
  if (/rate limit|too many (messages|requests)/.test(text) || r.enhanced === '4.7.1')
    return r.code >= 500 ? 'smtp_rejected' : 'smtp_rate_limited';
  if (r.code === 552 && (r.enhanced === '5.3.4' || /too (big|large)|size/.test(text)))
    return 'smtp_message_too_large';
  if (r.code === 552 || /credit|balance/.test(text)) return 'smtp_insufficient_credits';
  if (r.code >= 400 && r.code < 500) return 'smtp_try_later';
  if (
    cmd === 'MAIL FROM' ||
    r.enhanced === '5.7.1' ||
    r.enhanced?.startsWith('5.1.7') ||
    r.enhanced === '5.1.8'
  )
    return 'smtp_sender_not_allowed';
  if (cmd === 'RCPT TO' || r.enhanced === '5.1.1' || r.enhanced === '5.1.3') return 'smtp_recipient_rejected';
  return 'smtp_rejected';
}

const CERT_UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);

/** A failure of nodemailer's SMTP client: its code (ECONNECTION, ETLS, …), the system's, the reply. */
export type SmtpFailure = {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
};

export function classifySmtpFailure(f: SmtpFailure): SmtpErrorCode {
  const sys = f.originalCode ?? '';
  const message = (f.message ?? '').toLowerCase();
  if (sys === 'ECONNREFUSED') return 'smtp_connection_refused';
  if (sys === 'ENOTFOUND' || sys === 'EAI_AGAIN' || f.code === 'EDNS') return 'smtp_host_not_found';
  if (CERT_UNTRUSTED.has(sys)) return 'smtp_cert_untrusted';
  if (sys === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'smtp_cert_hostname';
  if (sys === 'CERT_HAS_EXPIRED' || sys === 'CERT_NOT_YET_VALID') return 'smtp_cert_expired';
  if (f.code === 'ETIMEDOUT' || sys === 'ETIMEDOUT' || /timed? ?out/.test(message)) return 'smtp_timeout';
  if (f.code === 'ETLS' || f.command === 'STARTTLS') return 'smtp_tls_failed';
  if (f.response && f.responseCode) {
    if (f.command === 'CONN' && f.responseCode >= 400 && f.responseCode < 500) return 'smtp_try_later';
    return classifySmtpReply(f.response, f.command);
  }
  if (sys === 'ECONNRESET' || sys === 'EPIPE' || /closed|unexpected(ly)? end|socket hang up/.test(message))
    return 'smtp_connection_lost';
  if (f.code === 'EPROTOCOL') return 'smtp_protocol_error';
  if (f.code === 'ECONNECTION' || f.code === 'ESOCKET') return 'smtp_connection_lost';
  return 'smtp_error';
}
