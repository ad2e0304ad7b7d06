import 'server-only';
import type { z } from 'zod';
// Why one long file: one SMTP conversation (connect, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT) with
// its transcript and redaction; the steps share the connection's state and read in protocol order.
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import tls from 'node:tls';
import { format } from 'node:util';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { getEnv, type SmtpTarget } from '@/lib/env';
import { classifySmtpFailure, type SmtpFailure } from '@/lib/errors/smtp';
import {
  queuedIdOf,
  type SmtpTestEvent,
  type SmtpTestOutcome,
  type TranscriptKind,
  type TranscriptLine,
} from '@/lib/format/smtp-transcript';
import { DEFAULT_SMTP_USERNAME } from '@/lib/schemas/smtp';
import { completeSmtpAttempt, startSmtpAttempt, type RequestContext } from '@/lib/requests/record';
import { takeInteractiveSlot } from '@/lib/sendmux/budget';
import { checkAttachmentType } from '@/lib/schemas/file-types';
import type { smtpTestInputSchema } from '@/lib/schemas/smtp';
import { readSandboxCa } from '@/lib/sandbox/smtp-cert';
import { resolveProfileKey, UnknownProfileError } from '@/lib/sendmux/profiles';
import { decodePrompt, redactCommand, scrubSecret, secretForms } from '@/lib/sendmux/smtp-redact';

export type SmtpAuthMethod = 'PLAIN' | 'LOGIN';

const CLOSE_WAIT_MS = 2_000;

export type SmtpTestMessage = {
  from: { email: string; name?: string };
  to: { email: string; name?: string };
  subject: string;
  text?: string;
  html?: string;
  attachment?: { filename: string; contentType: string; content: Buffer };
};

export type SmtpTestOptions = {
  profile: string;
  authMethod: SmtpAuthMethod;
  /** Sendmux takes any username; the key is the password. */
  username?: string;
  message: SmtpTestMessage;
  context: RequestContext;
  /** Each transcript line as it happens, already redacted. */
  onLine?: (line: TranscriptLine) => void;
  /** Connect, greeting and idle-socket timeout; SENDMUX_TIMEOUT_MS by default. */
  timeoutMs?: number;
};

type Peer = { subject: string; issuer: string; validTo: string; fingerprint256: string; names: string };

class NoStartTlsError extends Error {
  readonly code = 'ENOSTARTTLS';
}

function certificateAuthorities(target: SmtpTarget, dataDir: string): { ca: string[]; trusted: string[] } {
  const ca = [...tls.rootCertificates];
  const trusted = ['the public certificate authorities'];
  if (target.trustSandboxCa) {
    const sandboxCa = readSandboxCa(dataDir);
    if (sandboxCa) {
      ca.push(sandboxCa);
      trusted.push('the sandbox CA');
    }
  }
  if (target.caFile) {
    ca.push(fs.readFileSync(target.caFile, 'utf8'));
    trusted.push('SENDMUX_SMTP_CA_FILE');
  }
  return { ca, trusted };
}

const dn = (name: string) => name.replace(/\n/g, ', ');

function describePeer(cert: tls.PeerCertificate): Peer {
  return {
    subject: dn(new X509Certificate(cert.raw).subject),
    issuer: dn(new X509Certificate(cert.raw).issuer),
    validTo: new Date(cert.valid_to).toISOString().slice(0, 10),
    fingerprint256: cert.fingerprint256,
    names: cert.subjectaltname ?? '',
  };
}

function buildMime(m: SmtpTestMessage): Promise<Buffer> {
  const composer = new MailComposer({
    from: m.from.name ? { name: m.from.name, address: m.from.email } : m.from.email,
    to: m.to.name ? { name: m.to.name, address: m.to.email } : m.to.email,
    subject: m.subject,
    text: m.text || undefined,
    html: m.html || undefined,
    attachments: m.attachment
      ? [
          {
            filename: m.attachment.filename,
            contentType: m.attachment.contentType,
            content: m.attachment.content,
          },
        ]
      : [],
  });
  return new Promise((resolve, reject) =>
    composer.compile().build((err, message) => (err ? reject(err) : resolve(message))),
  );
}

/** The message as the request log keeps it: attachment content becomes name and size. */
function loggedBody(target: SmtpTarget, o: SmtpTestOptions, username: string): Record<string, unknown> {
  const m = o.message;
  return {
    server: target.url,
    security: target.implicitTls ? 'TLS' : 'STARTTLS (required)',
    auth: o.authMethod,
    username,
    from: m.from,
    to: m.to,
    subject: m.subject,
    ...(m.text ? { text_body: m.text } : {}),
    ...(m.html ? { html_body: m.html } : {}),
    ...(m.attachment
      ? {
          attachments: [
            {
              filename: m.attachment.filename,
              type: m.attachment.contentType,
              size_bytes: m.attachment.content.byteLength,
            },
          ],
        }
      : {}),
  };
}

/**
 * One SMTP test send with a live transcript. The only place the console speaks SMTP: routing it
 * through a shared per-key rate budget means wrapping this function. Logged in the request log
 * (pending before connecting, completed with the transcript); failures come back as an outcome,
 * never as a throw. The key is only written after TLS is up: a server that offers no STARTTLS
 * gets QUIT instead of AUTH.
 */
export async function sendSmtpTest(options: SmtpTestOptions): Promise<SmtpTestOutcome> {
  const env = getEnv();
  const target = env.smtp;
  const key = resolveProfileKey(options.profile);
  if (!key) throw new UnknownProfileError(options.profile);
  const forms = secretForms(key);
  const username = options.username ?? DEFAULT_SMTP_USERNAME;
  const timeoutMs = options.timeoutMs ?? env.sendmuxTimeoutMs;
  const m = options.message;

  const logId = await startSmtpAttempt({
    keyProfile: options.profile,
    context: options.context,
    body: loggedBody(target, options, username),
    recipients: [m.to.email],
  });

  const t0 = performance.now();
  const lines: TranscriptLine[] = [];
  let finished = false;
  const push = (kind: TranscriptKind, text: string, note?: string) => {
    if (finished) return;
    const line: TranscriptLine = {
      at: Math.round((performance.now() - t0) * 10) / 10,
      kind,
      text: scrubSecret(text, forms),
      ...(note ? { note: scrubSecret(note, forms) } : {}),
    };
    lines.push(line);
    options.onLine?.(line);
  };

  let lastServer: string | undefined;
  let lastReply: string | null = null;
  const record = (level: string, entry: { tnx?: string }, message: unknown, ...args: unknown[]) => {
    const text = format(String(message ?? ''), ...args);
    switch (entry.tnx) {
      case 'client': {
        const r = redactCommand(text, lastServer, forms);
        push('client', r.text, r.note);
        return;
      }
      case 'server': {
        lastServer = text;
        lastReply = text;
        const prompt = decodePrompt(text);
        push('server', text, prompt ? `base64 of "${prompt}"` : undefined);
        return;
      }
      case 'network': {
        const established = /^(Secure connection|Connection) established to (.+)$/.exec(text);
        // The close is noted once below, after the conversation has ended either way.
        if (!established) {
          if (level === 'info' && text !== 'Connection closed') push('info', text);
          return;
        }
        push('info', `Connected to ${established[2]}`);
        if (established[1] === 'Secure connection') pushTls();
        return;
      }
      case 'dns': {
        const resolved = /^Resolved (\S+) as (\S+)/.exec(text);
        if (resolved && resolved[1] !== resolved[2])
          push('info', `Resolved ${resolved[1]} as ${resolved[2]}`);
        return;
      }
      case 'message':
        push('info', text.replace(/^<(\d+) bytes encoded mime message.*>$/, 'Message sent: $1 bytes'));
        return;
      case 'smtp':
        if (level !== 'info') return;
        push('info', text);
        if (text === 'Connection upgraded with STARTTLS') pushTls();
        return;
    }
  };
  const logger = Object.fromEntries(
    ['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((level) => [
      level,
      (entry: { tnx?: string }, message: unknown, ...args: unknown[]) =>
        record(level, entry, message, ...args),
    ]),
  );

  let peer: Peer | undefined;
  let tlsShown = false;
  let trusted: string[] = [];
  // Filled in inside the try below (reading SENDMUX_SMTP_CA_FILE can fail); nodemailer reads it when TLS starts.
  const tlsOptions: tls.ConnectionOptions = {
    minVersion: 'TLSv1.2',
    checkServerIdentity: (host, cert) => {
      peer = describePeer(cert);
      return tls.checkServerIdentity(host, cert);
    },
  };
  const pushTls = () => {
    if (tlsShown) return;
    tlsShown = true;
    push('tls', tlsSummary(connection, peer, trusted));
  };
  const connection = new SMTPConnection({
    host: target.host,
    port: target.port,
    secure: target.implicitTls,
    requireTLS: false,
    opportunisticTLS: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    transactionLog: true,
    logger: logger as unknown as SMTPConnection.Options['logger'],
    tls: tlsOptions,
  });

  const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()));
  // Every step waits for its callback or for the connection's error, whichever comes first.
  let failStep: ((err: unknown) => void) | undefined;
  connection.on('error', (err) => failStep?.(err));
  const step = <T>(run: (done: (err?: Error | null, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      failStep = reject;
      run((err, value) => (err ? reject(err) : resolve(value as T)));
    });

  let outcome: Omit<SmtpTestOutcome, 'durationMs' | 'logId'>;
  // SMTP and HTTP share the key's rate limit, so a test send draws from the same budget as
  // Compose (the interactive share: it does not wait behind a running job).
  const slot = await takeInteractiveSlot(options.profile);
  if (slot.waitedMs >= 1)
    push('info', `Waited ${Math.round(slot.waitedMs)} ms for room in the key's rate budget`);
  push(
    'info',
    `Connecting to ${target.url} (${target.implicitTls ? 'TLS from the start' : 'STARTTLS required'})`,
  );
  try {
    const authorities = certificateAuthorities(target, env.dataDir);
    tlsOptions.ca = authorities.ca;
    trusted = authorities.trusted;
    const raw = await buildMime(m);
    await step<void>((done) => connection.connect((err?: Error) => done(err)));
    if (!connection.secure) throw new NoStartTlsError('The server offered no STARTTLS');
    pushTls();
    await step<void>((done) =>
      connection.login({ method: options.authMethod, user: username, pass: key }, (err) => done(err ?? null)),
    );
    const info = await step<SMTPConnection.SentMessageInfo>((done) =>
      connection.send({ from: m.from.email, to: [m.to.email] }, raw, (err, i) => done(err ?? null, i)),
    );
    const reply = info.response ?? lastReply ?? '';
    outcome = {
      ok: true,
      server: target.url,
      replyCode: Number(/^\d{3}/.exec(reply)?.[0] ?? 250),
      reply,
      queuedId: queuedIdOf(reply),
      errorCode: null,
      message: null,
    };
    connection.quit();
  } catch (err) {
    outcome = failureOutcome(err, target.url, lastReply);
    if (err instanceof NoStartTlsError) {
      push(
        'error',
        'The server did not offer STARTTLS: not logging in, so the key is not sent in clear text.',
      );
      connection.quit();
    } else {
      push('error', `Failed: ${outcome.message ?? outcome.errorCode}`);
      connection.close();
    }
  }
  // The goodbye (221) and the close belong in the transcript; a server that never closes is not waited for.
  const closed = await Promise.race([
    ended.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CLOSE_WAIT_MS).unref()),
  ]);
  push('info', closed ? 'Connection closed' : 'The server did not close the connection; the console left it');
  finished = true;
  const durationMs = performance.now() - t0;
  const result: SmtpTestOutcome = { ...outcome, durationMs: Math.round(durationMs), logId };
  await completeSmtpAttempt(logId, {
    ok: result.ok,
    replyCode: result.replyCode,
    errorCode: result.errorCode ?? undefined,
    errorMessage: result.message ?? undefined,
    durationMs,
    response: { reply: result.reply, queued_id: result.queuedId, server: result.server },
    transcript: lines,
    queuedId: result.queuedId,
  }).catch((err: unknown) =>
    // Losing the outcome row must not lose the outcome itself.
    console.error(`smtp: could not complete api_requests row ${logId}:`, (err as Error).message),
  );
  return result;
}

function tlsSummary(connection: SMTPConnection, peer: Peer | undefined, trusted: string[]): string {
  // nodemailer keeps the TLS socket to itself; the protocol and cipher are read from it when present.
  const socket = (connection as unknown as { _socket?: unknown })._socket;
  const session =
    socket instanceof tls.TLSSocket ? `${socket.getProtocol() ?? 'TLS'}, ${socket.getCipher().name}` : 'TLS';
  if (!peer) return `TLS established (${session})`;
  const fp = peer.fingerprint256.split(':').slice(0, 8).join(':');
  return [
    `TLS established (${session}). Certificate ${peer.subject}, issued by ${peer.issuer}, valid until ${peer.validTo}`,
    `names ${peer.names || 'none'}; SHA-256 ${fp}…`,
    `verified against ${trusted.join(' + ')}`,
  ].join('\n');
}

function failureOutcome(
  err: unknown,
  server: string,
  lastReply: string | null,
): Omit<SmtpTestOutcome, 'durationMs' | 'logId'> {
  if (err instanceof NoStartTlsError)
    return {
      ok: false,
      server,
      replyCode: null,
      reply: lastReply,
      queuedId: null,
      errorCode: 'smtp_no_starttls',
      message: 'The server offered no STARTTLS; the console refused to log in, so the key was not sent.',
    };
  const e = (err ?? {}) as SmtpFailure & Error;
  const failure: SmtpFailure = {
    code: typeof e.code === 'string' ? e.code : undefined,
    originalCode: typeof e.originalCode === 'string' ? e.originalCode : undefined,
    responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
    response: typeof e.response === 'string' ? e.response : undefined,
    command: typeof e.command === 'string' ? e.command : undefined,
    message: e.message,
  };
  const errorCode = classifySmtpFailure(failure);
  const detail = [failure.originalCode, e.message].filter(Boolean).join(': ');
  return {
    ok: false,
    server,
    replyCode: failure.responseCode ?? null,
    reply: failure.response ?? null,
    queuedId: null,
    errorCode,
    message: detail || null,
  };
}

/**
 * sendSmtpTest as a stream of events for the browser: each transcript line as it happens, then
 * the outcome. The send runs to its end (and is logged) whether or not anyone reads the stream.
 */
export async function* smtpTestEvents(
  options: Omit<SmtpTestOptions, 'onLine'>,
): AsyncGenerator<SmtpTestEvent> {
  const queue: SmtpTestEvent[] = [];
  let wake: (() => void) | undefined;
  let failure: { err: unknown } | undefined;
  const put = (event: SmtpTestEvent) => {
    queue.push(event);
    wake?.();
  };
  void sendSmtpTest({ ...options, onLine: (line) => put({ type: 'line', line }) }).then(
    (outcome) => put({ type: 'done', outcome }),
    (err: unknown) => {
      failure = { err };
      wake?.();
    },
  );
  for (;;) {
    const next = queue.shift();
    if (next) {
      yield next;
      if (next.type === 'done') return;
      continue;
    }
    if (failure) throw failure.err;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}

/**
 * The SMTP test send from the Settings form's checked input: the message as the form describes it,
 * the attachment (already type-checked by the schema) with its MIME type, and the user in the log.
 */
export async function smtpTestFromForm(
  input: z.output<typeof smtpTestInputSchema>,
  user: { id: string; email: string },
): Promise<AsyncGenerator<SmtpTestEvent>> {
  const file = input.attachment;
  const type = file ? checkAttachmentType(file.name) : null;
  return smtpTestEvents({
    profile: input.profile,
    authMethod: input.authMethod,
    context: { source: 'smtp_test', userId: user.id, userEmail: user.email },
    message: {
      from: { email: input.fromEmail, name: input.fromName.trim() || undefined },
      to: { email: input.toEmail },
      subject: input.subject,
      text: input.text,
      html: input.html,
      attachment:
        file && type?.ok
          ? {
              filename: file.name,
              contentType: type.contentType,
              content: Buffer.from(await file.arrayBuffer()),
            }
          : undefined,
    },
  });
}
