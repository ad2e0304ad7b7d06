import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/lib/db';
import { apiRequests } from '@/lib/db/schema';
import { resetEnvForTests } from '@/lib/env';
import { explainError } from '@/lib/errors/catalog';
import type { TranscriptLine } from '@/lib/format/smtp-transcript';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { getOutboxAttachmentContent, listOutboxMessages } from '@/lib/sandbox/outbox';
import { resetSandboxRateLimit } from '@/lib/sandbox/rate-limit';
import { CA_FILE, ensureSandboxCertificate } from '@/lib/sandbox/smtp-cert';
import { startSandboxSmtp, stopSandboxSmtp } from '@/lib/sandbox/smtp-listener';
import { sendSmtpTest, type SmtpTestOptions } from '@/lib/sendmux/smtp';
import { secretForms } from '@/lib/sendmux/smtp-redact';

// The console's SMTP client against real listeners on 127.0.0.1: the built-in sandbox, one that
// never offers STARTTLS, and one whose certificate comes from a CA nobody trusts.

useTestDatabase();
const KEY = `smx_mbx_smtpkey${randomBytes(12).toString('hex')}`;
const WRONG = `smx_mbx_wrongkey${randomBytes(12).toString('hex')}`;
const FORMS = [...secretForms(KEY), ...secretForms(WRONG)];
const dirs: string[] = [];
let sandboxPort: number;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const p = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return p;
}

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-smtp-client-'));
  dirs.push(dir);
  return dir;
}

function useSmtpUrl(url: string, caFile?: string) {
  vi.stubEnv('SENDMUX_SMTP_URL', url);
  if (caFile) vi.stubEnv('SENDMUX_SMTP_CA_FILE', caFile);
  else vi.stubEnv('SENDMUX_SMTP_CA_FILE', undefined);
  resetEnvForTests();
}

async function test(
  overrides: Partial<Omit<SmtpTestOptions, 'message'>> & { to?: string; attachment?: Buffer } = {},
) {
  const lines: TranscriptLine[] = [];
  const outcome = await sendSmtpTest({
    profile: 'good',
    authMethod: 'PLAIN',
    context: { source: 'smtp_test', userId: 'u1', userEmail: 'sender@example.com' },
    onLine: (l) => lines.push(l),
    message: {
      from: { email: 'billing@acme.test', name: 'Acme' },
      to: { email: overrides.to ?? `smtp-client.${randomBytes(3).toString('hex')}@example.com` },
      subject: 'SMTP test',
      text: 'Hello over SMTP',
      html: '<p>Hello over <b>SMTP</b></p>',
      ...(overrides.attachment
        ? {
            attachment: {
              filename: 'report.pdf',
              contentType: 'application/pdf',
              content: overrides.attachment,
            },
          }
        : {}),
    },
    ...overrides,
  });
  const db = await getDb();
  const [row] = await db.select().from(apiRequests).where(eq(apiRequests.id, outcome.logId));
  return { outcome, lines, row: row!, text: lines.map((l) => `${l.kind} ${l.text}`).join('\n') };
}

const leaks = (text: string) => FORMS.filter((f) => text.includes(f));

/** A server that speaks just enough SMTP to be talked to, and keeps every byte it receives. */
async function plainServer(ehlo: string[], onStartTls = '454 4.7.0 TLS not available') {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.write('220 plain.test ESMTP\r\n');
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      buffered += chunk.toString('latin1');
      let i;
      while ((i = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 2);
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO')
          socket.write(ehlo.map((e, n) => `250${n === ehlo.length - 1 ? ' ' : '-'}${e}\r\n`).join(''));
        else if (verb === 'STARTTLS') socket.write(`${onStartTls}\r\n`);
        else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    bytes: () => Buffer.concat(received).toString('latin1'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  sandboxPort = await freePort();
  vi.stubEnv('PORT', '3999');
  vi.stubEnv('DATA_DIR', tempDir());
  vi.stubEnv('SANDBOX_API_KEY', KEY);
  vi.stubEnv('SANDBOX_SMTP_PORT', String(sandboxPort));
  vi.stubEnv('SENDMUX_KEYS', `good=${KEY},wrong=${WRONG}`);
  // Live mode against this console's own sandbox, as the e2e tests run it: both profiles are real keys to the client.
  vi.stubEnv('SENDMUX_API_URL', 'http://127.0.0.1:3999/sandbox/api/v1');
  useSmtpUrl(`smtp://127.0.0.1:${sandboxPort}`);
  expect((await startSandboxSmtp(() => {})).state).toBe('listening');
});

afterAll(async () => {
  await stopSandboxSmtp();
  vi.unstubAllEnvs();
  resetEnvForTests();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

afterEach(() => {
  resetSandboxRateLimit();
  useSmtpUrl(`smtp://127.0.0.1:${sandboxPort}`);
});

describe(`SMTP test send (${testEngine()})`, () => {
  it('sends through the sandbox: STARTTLS before AUTH, the secret as ***, 250 queued, logged with its transcript', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000)]);
    const { outcome, lines, row, text } = await test({ attachment: pdf });
    expect(outcome).toMatchObject({ ok: true, replyCode: 250, errorCode: null });
    expect(outcome.queuedId).toMatch(/^eml_[a-z0-9]{24}$/);
    expect(outcome.reply).toBe(`250 2.0.0 OK: queued as ${outcome.queuedId}`);

    const order = [
      'client EHLO',
      'client STARTTLS',
      'tls TLS established',
      'client AUTH PLAIN ***',
      'client MAIL FROM',
      'client RCPT TO',
      'client DATA',
      `server ${outcome.reply}`,
    ];
    const at = order.map((p) => lines.findIndex((l) => `${l.kind} ${l.text}`.startsWith(p)));
    expect(
      at.every((i) => i >= 0),
      `${order.join(' → ')} in\n${text}`,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toMatch(/issued by CN=Sendmux Console sandbox CA/);
    // The goodbye is part of the record: the row is completed once the connection has closed.
    expect(text).toMatch(/client QUIT\nserver 221 /);
    expect(lines.at(-1)).toMatchObject({ kind: 'info', text: 'Connection closed' });
    expect(text).toMatch(/verified against the public certificate authorities \+ the sandbox CA/);
    expect(lines.every((l, i) => i === 0 || l.at >= lines[i - 1]!.at)).toBe(true);
    expect(leaks(text)).toEqual([]);

    const [stored] = await listOutboxMessages({ to: row.recipients[0]!, limit: 1 });
    expect(stored?.id).toBe(outcome.queuedId);
    expect(Buffer.from((await getOutboxAttachmentContent(outcome.queuedId!, 0))!.bytes)).toEqual(pdf);

    expect(row).toMatchObject({
      transport: 'smtp',
      method: 'SMTP',
      path: 'SMTP',
      source: 'smtp_test',
      keyProfile: 'good',
      userEmail: 'sender@example.com',
      status: 250,
      ok: true,
      messageIds: [outcome.queuedId],
      messageCount: 1,
    });
    expect(row.transcript).toEqual(lines);
    expect(row.requestBody).toMatchObject({
      server: `smtp://127.0.0.1:${sandboxPort}`,
      username: 'sendmux',
      attachments: [{ filename: 'report.pdf', type: 'application/pdf', size_bytes: pdf.byteLength }],
    });
    expect(leaks(JSON.stringify(row))).toEqual([]);
    expect(JSON.stringify(row)).not.toContain(pdf.subarray(9, 60).toString('base64'));
  });

  it('AUTH LOGIN: the password line is ***, the username shown with what it decodes to', async () => {
    const { outcome, lines, text } = await test({ authMethod: 'LOGIN', username: 'my-app' });
    expect(outcome.ok).toBe(true);
    const user = lines.find((l) => l.kind === 'client' && l.note?.startsWith('base64 of'));
    expect(user).toMatchObject({
      text: Buffer.from('my-app').toString('base64'),
      note: 'base64 of "my-app"',
    });
    expect(lines.find((l) => l.kind === 'server' && l.text === '334 UGFzc3dvcmQ6')?.note).toBe(
      'base64 of "Password:"',
    );
    expect(lines).toContainEqual(expect.objectContaining({ kind: 'client', text: '***' }));
    expect(leaks(text)).toEqual([]);
  });

  it('a wrong key gets 535, explained as the key not being accepted', async () => {
    const { outcome, row, text } = await test({ profile: 'wrong' });
    expect(outcome).toMatchObject({ ok: false, replyCode: 535, errorCode: 'smtp_auth_failed' });
    expect(outcome.reply).toMatch(/^535 5\.7\.8 /);
    expect(explainError(outcome.errorCode!).title).toBe('Key not accepted (535)');
    expect(row).toMatchObject({ ok: false, status: 535, errorCode: 'smtp_auth_failed', keyProfile: 'wrong' });
    expect(leaks(text + JSON.stringify(row))).toEqual([]);
  });

  it.each([
    ['fail+insufficient_credits', 552, 'smtp_insufficient_credits'],
    ['fail+503', 451, 'smtp_try_later'],
    ['fail+daily_limit_exceeded', 550, 'smtp_daily_limit'],
    ['fail+insufficient_permissions', 550, 'smtp_sender_not_allowed'],
  ])('%s@ is refused with %i and explained as %s', async (local, code, errorCode) => {
    const { outcome } = await test({ to: `${local}@example.com` });
    expect(outcome).toMatchObject({ ok: false, replyCode: code, errorCode });
  });

  it('a server that offers no STARTTLS never receives the key: QUIT instead of AUTH', async () => {
    const plain = await plainServer(['plain.test', 'AUTH PLAIN LOGIN', 'SIZE 1000000']);
    try {
      useSmtpUrl(plain.url);
      for (const authMethod of ['PLAIN', 'LOGIN'] as const) {
        const { outcome, row, text } = await test({ authMethod });
        expect(outcome).toMatchObject({ ok: false, errorCode: 'smtp_no_starttls', queuedId: null });
        expect(text).toMatch(/did not offer STARTTLS: not logging in/);
        expect(row).toMatchObject({ ok: false, errorCode: 'smtp_no_starttls' });
      }
      const bytes = plain.bytes();
      expect(bytes).toMatch(/^EHLO /);
      expect(bytes).toContain('QUIT\r\n');
      expect(bytes).not.toMatch(/AUTH|MAIL FROM|RCPT TO|DATA/);
      expect(leaks(bytes)).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('a server whose STARTTLS fails gets no key either', async () => {
    const plain = await plainServer(['plain.test', 'STARTTLS', 'AUTH PLAIN LOGIN']);
    try {
      useSmtpUrl(plain.url);
      const { outcome } = await test();
      expect(outcome).toMatchObject({ ok: false, errorCode: 'smtp_tls_failed', replyCode: 454 });
      expect(plain.bytes()).not.toMatch(/AUTH/);
      expect(leaks(plain.bytes())).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('a certificate from an untrusted CA stops the test before AUTH; SENDMUX_SMTP_CA_FILE makes it pass', async () => {
    const other = await ensureSandboxCertificate(tempDir(), '127.0.0.1');
    const passwords: string[] = [];
    const server = new SMTPServer({
      key: other.key,
      cert: other.cert,
      authMethods: ['PLAIN', 'LOGIN'],
      disableReverseLookup: true,
      logger: false,
      onAuth(auth, _session, cb) {
        passwords.push(auth.password ?? '');
        cb(null, { user: 'x' });
      },
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => cb(null, '2.0.0 OK: queued as private-1'));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `smtp://127.0.0.1:${(server.server.address() as net.AddressInfo).port}`;
    try {
      useSmtpUrl(url);
      const refused = await test();
      expect(refused.outcome).toMatchObject({ ok: false, errorCode: 'smtp_cert_untrusted' });
      expect(refused.outcome.message).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
      expect(explainError('smtp_cert_untrusted').action).toContain('SENDMUX_SMTP_CA_FILE');
      expect(passwords).toEqual([]);

      useSmtpUrl(url, other.caFile);
      const accepted = await test();
      expect(accepted.outcome).toMatchObject({ ok: true, replyCode: 250, queuedId: 'private-1' });
      expect(accepted.text).toMatch(
        /verified against the public certificate authorities \+ SENDMUX_SMTP_CA_FILE/,
      );
      expect(passwords).toEqual([KEY]);
      expect(path.basename(other.caFile)).toBe(CA_FILE);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('nothing listening is “connection refused”; a server that never greets is a timeout', async () => {
    useSmtpUrl(`smtp://127.0.0.1:${await freePort()}`);
    expect((await test()).outcome).toMatchObject({
      ok: false,
      errorCode: 'smtp_connection_refused',
      replyCode: null,
    });

    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      useSmtpUrl(`smtp://127.0.0.1:${(silent.address() as net.AddressInfo).port}`);
      const { outcome, row } = await test({ timeoutMs: 300 });
      expect(outcome).toMatchObject({ ok: false, errorCode: 'smtp_timeout' });
      expect(row).toMatchObject({ ok: false, errorCode: 'smtp_timeout', status: null });
    } finally {
      silent.close();
    }
  });
});
