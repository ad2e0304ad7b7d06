import { describe, expect, it } from 'vitest';
import { curlSmtpCommand, smtpSnippets } from '@/lib/format/smtp-snippets';

const live = { host: 'smtp.sendmux.ai', port: 587, implicitTls: false, username: 'sendmux' };
const sandbox = { ...live, host: '127.0.0.1', port: 2525, caFile: '/srv/console/data/sandbox-smtp-ca.pem' };

describe('SMTP settings for tools', () => {
  it('covers the common SMTP-only tools', () => {
    expect(smtpSnippets(live).map((s) => s.tool)).toEqual([
      'Nodemailer',
      'Django',
      'Rails Action Mailer',
      'Laravel',
      'Postfix relayhost',
      'WordPress',
    ]);
  });

  it.each(smtpSnippets(live).map((s) => [s.tool, s.code]))(
    '%s: host, port and the key read from SENDMUX_API_KEY, never a key',
    (_tool, code) => {
      expect(code).toContain('smtp.sendmux.ai');
      expect(code).toContain('587');
      expect(code).toContain('SENDMUX_API_KEY');
      expect(code).not.toMatch(/smx_[a-z]+_/);
      expect(code).not.toContain('sandbox-smtp-ca.pem');
    },
  );

  it('requires STARTTLS where the tool can be told to', () => {
    const [nodemailer, django, rails, laravel, postfix, wordpress] = smtpSnippets(live).map((s) => s.code);
    expect(nodemailer).toContain('requireTLS: true');
    expect(django).toContain('EMAIL_USE_TLS = True');
    expect(rails).toContain('enable_starttls: true');
    expect(laravel).toContain('MAIL_ENCRYPTION=tls');
    expect(postfix).toContain('smtp_tls_security_level = encrypt');
    expect(postfix).toContain('relayhost = [smtp.sendmux.ai]:587');
    expect(postfix).toContain(`"$SENDMUX_API_KEY"`);
    expect(wordpress).toContain("SMTPSecure = 'tls'");
  });

  it('in sandbox mode every tool is told about the sandbox CA', () => {
    for (const s of smtpSnippets(sandbox)) {
      expect(s.code, s.tool).toContain('/srv/console/data/sandbox-smtp-ca.pem');
      expect(s.code, s.tool).toContain('2525');
    }
  });

  it('implicit TLS is written as such', () => {
    const codes = smtpSnippets({ ...live, port: 465, implicitTls: true }).map((s) => s.code);
    expect(codes[0]).toContain('secure: true');
    expect(codes[1]).toContain('EMAIL_USE_SSL = True');
    expect(codes[4]).toContain('smtp_tls_wrappermode = yes');
  });
});

describe('curl over SMTP', () => {
  it('reproduces a test send with the key from the environment', () => {
    const cmd = curlSmtpCommand({
      server: 'smtp://smtp.sendmux.ai:587',
      username: 'sendmux',
      from: 'billing@acme.test',
      to: "o'brien@example.com",
      subject: 'Hello',
      text: 'Hi\nEOF\nthere',
    });
    expect(cmd).toContain("curl --url 'smtp://smtp.sendmux.ai:587' --ssl-reqd \\");
    expect(cmd).toContain('--user "sendmux:$SENDMUX_API_KEY"');
    expect(cmd).toContain(`--mail-rcpt 'o'\\''brien@example.com'`);
    // A body line reading EOF must not end the here-document early.
    expect(cmd.split('\n').filter((l) => l === 'EOF')).toHaveLength(1);
    expect(cmd).toContain('Content-Type: text/plain; charset=utf-8');
  });
});
