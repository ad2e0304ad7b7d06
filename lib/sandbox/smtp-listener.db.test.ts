import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { clearFaults } from '@/lib/sandbox/faults';
import { getOutboxAttachmentContent, getOutboxMessage, listOutboxMessages } from '@/lib/sandbox/outbox';
import { resetSandboxRateLimit } from '@/lib/sandbox/rate-limit';
import { CA_FILE } from '@/lib/sandbox/smtp-cert';
import { sandboxSmtpStatus, startSandboxSmtp, stopSandboxSmtp } from '@/lib/sandbox/smtp-listener';
import { sandboxClient, TEST_SANDBOX_KEY } from '@/lib/sandbox/test-client';

// The sandbox's SMTP listener, driven by nodemailer as any SMTP tool would: it shares nothing
// with the console's own SMTP client.

useTestDatabase();
const { call } = sandboxClient();
let dataDir: string;
let port: number;
let ca: string;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const p = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return p;
}

function transport(options: { pass?: string; ignoreTLS?: boolean; method?: string } = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: !options.ignoreTLS,
    ignoreTLS: options.ignoreTLS ?? false,
    auth: { user: 'anyone', pass: options.pass ?? TEST_SANDBOX_KEY, method: options.method },
    tls: { ca: [ca] },
  });
}

const unique = (name: string) => `${name}.${randomBytes(4).toString('hex')}@example.com`;

/** The reply a failing send got, e.g. "552 5.7.0 …". */
async function refusal(send: Promise<unknown>): Promise<string> {
  const err = (await send.then(
    () => null,
    (e: unknown) => e,
  )) as { response?: string; message?: string } | null;
  expect(err, 'the send was refused').not.toBeNull();
  return err!.response ?? err!.message ?? '';
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-smtp-'));
  port = await freePort();
  vi.stubEnv('SANDBOX_API_KEY', TEST_SANDBOX_KEY);
  vi.stubEnv('SANDBOX_SMTP_PORT', String(port));
  vi.stubEnv('DATA_DIR', dataDir);
  resetEnvForTests();
  const logged: string[] = [];
  const status = await startSandboxSmtp((line) => logged.push(line));
  expect(status).toMatchObject({ state: 'listening', host: '127.0.0.1', port });
  expect(logged.join('\n')).toContain(`its CA is ${path.join(dataDir, CA_FILE)}`);
  ca = fs.readFileSync(path.join(dataDir, CA_FILE), 'utf8');
});

afterAll(async () => {
  await stopSandboxSmtp();
  vi.unstubAllEnvs();
  resetEnvForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  resetSandboxRateLimit();
  clearFaults();
  vi.stubEnv('SANDBOX_RATE_LIMIT', undefined);
  resetEnvForTests();
});

describe(`sandbox SMTP listener (${testEngine()})`, () => {
  it('lands a message in the outbox like an HTTP send: addresses, headers, both bodies, attachments byte for byte', async () => {
    const to = unique('smtp-to');
    const cc = unique('smtp-cc');
    const hidden = unique('smtp-bcc');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(5000)]);
    const png = Buffer.concat([
      Buffer.from('89504e470d0a1a0a', 'hex'),
      randomBytes(300),
      Buffer.from([0, 13, 10]),
    ]);
    const info = await transport().sendMail({
      from: { name: 'Acme Billing', address: 'billing@acme.test' },
      to: { name: 'Ada Lovelace', address: to },
      cc,
      bcc: hidden,
      replyTo: 'support@acme.test',
      subject: 'Invoice ✓ November',
      text: 'Your invoice is attached.',
      html: '<p>Your invoice is <b>attached</b>.</p>',
      headers: { 'X-Campaign': 'invoices-2026-11' },
      attachments: [
        { filename: 'invoice.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'chart.png', content: png, contentType: 'image/png' },
      ],
    });
    const queued = /^250 2\.0\.0 OK: queued as (eml_[a-z0-9]{24})$/.exec(info.response);
    expect(queued, info.response).not.toBeNull();
    expect(info.accepted.sort()).toEqual([to, cc, hidden].sort());

    const [row] = await listOutboxMessages({ to, limit: 5 });
    expect(row).toMatchObject({
      id: queued![1]!,
      endpoint: 'SMTP',
      fromEmail: 'billing@acme.test',
      toEmail: to,
    });
    expect(row!.message).toMatchObject({
      from: { email: 'billing@acme.test', name: 'Acme Billing' },
      to: { email: to, name: 'Ada Lovelace' },
      cc: [{ email: cc }],
      bcc: [{ email: hidden }],
      reply_to: { email: 'support@acme.test' },
      subject: 'Invoice ✓ November',
      text_body: 'Your invoice is attached.',
      html_body: '<p>Your invoice is <b>attached</b>.</p>',
      custom_headers: { 'X-Campaign': 'invoices-2026-11' },
      smtp: { mail_from: 'billing@acme.test', rcpt_to: [to, cc, hidden] },
    });
    const detail = await getOutboxMessage(queued![1]!);
    expect(detail!.attachments.map((a) => [a.filename, a.contentType, a.sizeBytes])).toEqual([
      ['invoice.pdf', 'application/pdf', pdf.byteLength],
      ['chart.png', 'image/png', png.byteLength],
    ]);
    expect(Buffer.from((await getOutboxAttachmentContent(queued![1]!, 0))!.bytes)).toEqual(pdf);
    expect(Buffer.from((await getOutboxAttachmentContent(queued![1]!, 1))!.bytes)).toEqual(png);
  });

  it('keeps a text-only message text-only: no HTML made up', async () => {
    const to = unique('text-only');
    await transport({ method: 'LOGIN' }).sendMail({
      from: 'a@acme.test',
      to,
      subject: 'Plain',
      text: 'Just text',
    });
    const [row] = await listOutboxMessages({ to, limit: 1 });
    expect(row!.message.text_body).toBe('Just text');
    expect(row!.message).not.toHaveProperty('html_body');
  });

  it('answers a wrong key with 535 and stores nothing', async () => {
    const to = unique('wrong-key');
    const reply = await refusal(
      transport({ pass: 'smx_mbx_wrong_key_000000000000' }).sendMail({
        from: 'a@acme.test',
        to,
        subject: 'x',
        text: 'x',
      }),
    );
    expect(reply).toMatch(/^535 5\.7\.8 /);
    expect(await listOutboxMessages({ to, limit: 1 })).toEqual([]);
  });

  it('refuses AUTH before STARTTLS (538), so no key crosses the wire in clear text', async () => {
    const reply = await refusal(
      transport({ ignoreTLS: true }).sendMail({
        from: 'a@acme.test',
        to: unique('plain'),
        subject: 'x',
        text: 'x',
      }),
    );
    expect(reply).toMatch(/^538 .*STARTTLS/);
  });

  it.each([
    ['fail+insufficient_credits', /^552 5\.7\.0 Insufficient credits/],
    ['fail+503', /^451 4\.3\.2 /],
    ['fail+daily_limit_exceeded', /^550 5\.7\.1 Daily sending limit/],
    ['fail+insufficient_permissions', /^550 5\.7\.1 Sender not allowed/],
    ['fail+401', /^535 5\.7\.8 /],
    ['fail+payload_too_large', /^552 5\.3\.4 /],
  ])('answers the %s scenario with its SMTP code and stores nothing', async (local, expected) => {
    const to = `${local}+${randomBytes(3).toString('hex')}@example.com`;
    const reply = await refusal(transport().sendMail({ from: 'a@acme.test', to, subject: 'x', text: 'x' }));
    expect(reply).toMatch(expected);
    expect(reply).toContain(`(sandbox scenario ${to})`);
    expect(await listOutboxMessages({ to, limit: 1 })).toEqual([]);
  });

  it('flaky+451: fails the first attempt with 4xx, then takes the same message', async () => {
    // The tag starts with a letter: an all-digit one (1 in 17 runs) would be read as the number of failures.
    const to = `flaky+503+t${randomBytes(3).toString('hex')}@example.com`;
    const mail = { from: 'a@acme.test', to, subject: 'Flaky', text: 'same body' };
    expect(await refusal(transport().sendMail(mail))).toMatch(/^451 /);
    const info = await transport().sendMail(mail);
    expect(info.response).toMatch(/^250 .*queued as eml_/);
  });

  it('drop@: closes with 421 and stores nothing; an unknown scenario is refused at RCPT TO', async () => {
    expect(
      await refusal(
        transport().sendMail({ from: 'a@acme.test', to: 'drop@example.com', subject: 'x', text: 'x' }),
      ),
    ).toMatch(/^421 4\.4\.2 /);
    const reply = await refusal(
      transport().sendMail({ from: 'a@acme.test', to: 'fail+teapot@example.com', subject: 'x', text: 'x' }),
    );
    expect(reply).toMatch(/^553 5\.1\.3 Unknown sandbox scenario/);
  });

  it('refuses a 51st recipient with 452', async () => {
    const to = Array.from({ length: 51 }, (_, i) => `r${i}.${randomBytes(2).toString('hex')}@example.com`);
    const err = (await transport()
      .sendMail({ from: 'a@acme.test', to, subject: 'Many', text: 'x' })
      .then((i) => i)) as { rejected: string[]; rejectedErrors?: { response: string }[] };
    expect(err.rejected).toEqual([to[50]]);
    expect(err.rejectedErrors?.[0]?.response).toMatch(/^452 4\.5\.3 Too many recipients/);
  });

  it('counts against the same rate-limit window as HTTP calls with the key', async () => {
    vi.stubEnv('SANDBOX_RATE_LIMIT', '3');
    resetEnvForTests();
    const http = await call('POST', '/emails/send', {
      json: {
        from: { email: 'a@acme.test' },
        to: { email: unique('rl') },
        subject: 'x',
        html_body: '<p>x</p>',
      },
    });
    expect(http.headers.get('x-ratelimit-remaining')).toBe('2');
    await transport().sendMail({ from: 'a@acme.test', to: unique('rl'), subject: 'x', text: 'x' });
    await transport().sendMail({ from: 'a@acme.test', to: unique('rl'), subject: 'x', text: 'x' });
    // The window is used up by one HTTP call and two SMTP messages: both sides are refused now.
    const reply = await refusal(
      transport().sendMail({ from: 'a@acme.test', to: unique('rl'), subject: 'x', text: 'x' }),
    );
    expect(reply).toMatch(/^451 4\.7\.1 Rate limit exceeded: at most 3 requests per 60 seconds per key/);
    const after = await call('POST', '/emails/send', {
      json: {
        from: { email: 'a@acme.test' },
        to: { email: unique('rl') },
        subject: 'x',
        html_body: '<p>x</p>',
      },
    });
    expect(after.status).toBe(429);
  });

  it('keeps its certificate across restarts and reports a port already taken without stopping anything', async () => {
    const before = fs.readFileSync(path.join(dataDir, CA_FILE), 'utf8');
    const blocker = net.createServer();
    await stopSandboxSmtp();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const logged: string[] = [];
      const status = await startSandboxSmtp((line) => logged.push(line));
      expect(status).toMatchObject({ state: 'failed', port });
      expect(status.state === 'failed' && status.reason).toMatch(
        /already in use \(EADDRINUSE\); set SANDBOX_SMTP_PORT/,
      );
      expect(sandboxSmtpStatus().state).toBe('failed');
      expect(logged.join('\n')).not.toContain('made a TLS certificate');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    expect((await startSandboxSmtp(() => {})).state).toBe('listening');
    expect(fs.readFileSync(path.join(dataDir, CA_FILE), 'utf8')).toBe(before);
  });
});
