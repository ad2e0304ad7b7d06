// Client-safe: SMTP settings for tools that speak nothing else, written for each tool. The key is
// always read from the environment (SENDMUX_API_KEY): a snippet never holds a key, because it is
// never given one.

export type SmtpSettings = {
  host: string;
  port: number;
  /** TLS from the first byte (smtps, 465) instead of STARTTLS. */
  implicitTls: boolean;
  username: string;
  /** A CA the tool must trust (the sandbox's own); absent for Sendmux's public certificate. */
  caFile?: string;
};

export type SmtpSnippet = { id: string; tool: string; file: string; language: string; code: string };

const sq = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const dq = (v: string) => JSON.stringify(v);

function nodemailer(s: SmtpSettings): string {
  return [
    "import nodemailer from 'nodemailer';",
    ...(s.caFile ? ["import fs from 'node:fs';"] : []),
    '',
    'const transporter = nodemailer.createTransport({',
    `  host: ${sq(s.host)},`,
    `  port: ${s.port},`,
    s.implicitTls
      ? '  secure: true, // TLS from the first byte'
      : '  secure: false, // STARTTLS on this port…\n  requireTLS: true, // …and never log in without it',
    `  auth: { user: ${sq(s.username)}, pass: process.env.SENDMUX_API_KEY },`,
    ...(s.caFile ? [`  tls: { ca: fs.readFileSync(${sq(s.caFile)}) }, // the sandbox's CA`] : []),
    '});',
    '',
    "await transporter.sendMail({ from: 'you@your-domain.com', to: 'ada@example.com', subject: 'Hello', text: 'Hi!' });",
  ].join('\n');
}

function django(s: SmtpSettings): string {
  return [
    'import os',
    '',
    'EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"',
    `EMAIL_HOST = ${dq(s.host)}`,
    `EMAIL_PORT = ${s.port}`,
    s.implicitTls ? 'EMAIL_USE_SSL = True  # TLS from the first byte' : 'EMAIL_USE_TLS = True  # STARTTLS',
    `EMAIL_HOST_USER = ${dq(s.username)}`,
    'EMAIL_HOST_PASSWORD = os.environ["SENDMUX_API_KEY"]',
    ...(s.caFile ? ['', `# Trust the sandbox's CA: start Django with SSL_CERT_FILE=${s.caFile}`] : []),
  ].join('\n');
}

function rails(s: SmtpSettings): string {
  return [
    'config.action_mailer.delivery_method = :smtp',
    'config.action_mailer.smtp_settings = {',
    `  address: ${dq(s.host)},`,
    `  port: ${s.port},`,
    `  user_name: ${dq(s.username)},`,
    '  password: ENV.fetch("SENDMUX_API_KEY"),',
    '  authentication: :plain,',
    s.implicitTls
      ? '  tls: true, # TLS from the first byte'
      : '  enable_starttls: true, # Rails 7.1+: STARTTLS required (older: enable_starttls_auto: true)',
    ...(s.caFile ? [`  ca_file: ${dq(s.caFile)}, # the sandbox's CA`] : []),
    '}',
  ].join('\n');
}

function laravel(s: SmtpSettings): string {
  return [
    'MAIL_MAILER=smtp',
    `MAIL_HOST=${s.host}`,
    `MAIL_PORT=${s.port}`,
    `MAIL_USERNAME=${s.username}`,
    '# Read from the environment the app runs in, never written here',
    'MAIL_PASSWORD="${SENDMUX_API_KEY}"',
    s.implicitTls
      ? '# TLS from the first byte\nMAIL_SCHEME=smtps\nMAIL_ENCRYPTION=ssl'
      : '# Laravel 11+: smtp upgrades with STARTTLS; Laravel 10 and older read MAIL_ENCRYPTION\nMAIL_SCHEME=smtp\nMAIL_ENCRYPTION=tls',
    ...(s.caFile ? [`# Trust the sandbox's CA: start PHP with SSL_CERT_FILE=${s.caFile}`] : []),
  ].join('\n');
}

function postfix(s: SmtpSettings): string {
  const relay = `[${s.host}]:${s.port}`;
  return [
    '# /etc/postfix/main.cf',
    `relayhost = ${relay}`,
    'smtp_sasl_auth_enable = yes',
    'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd',
    'smtp_sasl_security_options = noanonymous',
    s.implicitTls
      ? 'smtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt'
      : '# STARTTLS, and no login without it',
    ...(s.implicitTls ? [] : ['smtp_tls_security_level = encrypt']),
    `smtp_tls_CAfile = ${s.caFile ?? '/etc/ssl/certs/ca-certificates.crt'}`,
    '',
    '# Then, as root, with SENDMUX_API_KEY set in your shell:',
    `printf '%s %s:%s\\n' '${relay}' '${s.username}' "$SENDMUX_API_KEY" > /etc/postfix/sasl_passwd`,
    'chmod 600 /etc/postfix/sasl_passwd',
    'postmap /etc/postfix/sasl_passwd',
    'systemctl reload postfix',
  ].join('\n');
}

function wordpress(s: SmtpSettings): string {
  return [
    '<?php',
    '// wp-content/mu-plugins/sendmux-smtp.php',
    "add_action('phpmailer_init', function ($phpmailer) {",
    '    $phpmailer->isSMTP();',
    `    $phpmailer->Host = ${sq(s.host)};`,
    `    $phpmailer->Port = ${s.port};`,
    s.implicitTls
      ? "    $phpmailer->SMTPSecure = 'ssl'; // TLS from the first byte"
      : "    $phpmailer->SMTPSecure = 'tls'; // STARTTLS",
    '    $phpmailer->SMTPAuth = true;',
    `    $phpmailer->Username = ${sq(s.username)};`,
    "    $phpmailer->Password = getenv('SENDMUX_API_KEY');",
    ...(s.caFile
      ? [`    $phpmailer->SMTPOptions = ['ssl' => ['cafile' => ${sq(s.caFile)}]]; // the sandbox's CA`]
      : []),
    '});',
  ].join('\n');
}

/** Settings for the common SMTP-only tools, in the order people look for them. */
export function smtpSnippets(s: SmtpSettings): SmtpSnippet[] {
  return [
    { id: 'nodemailer', tool: 'Nodemailer', file: 'mailer.js', language: 'JavaScript', code: nodemailer(s) },
    { id: 'django', tool: 'Django', file: 'settings.py', language: 'Python', code: django(s) },
    {
      id: 'rails',
      tool: 'Rails Action Mailer',
      file: 'config/environments/production.rb',
      language: 'Ruby',
      code: rails(s),
    },
    { id: 'laravel', tool: 'Laravel', file: '.env', language: 'dotenv', code: laravel(s) },
    {
      id: 'postfix',
      tool: 'Postfix relayhost',
      file: '/etc/postfix/main.cf',
      language: 'Postfix',
      code: postfix(s),
    },
    {
      id: 'wordpress',
      tool: 'WordPress',
      file: 'wp-content/mu-plugins/sendmux-smtp.php',
      language: 'PHP',
      code: wordpress(s),
    },
  ];
}

export type SmtpReproduce = {
  server: string;
  username: string;
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  caFile?: string;
};

/** The same test with curl's SMTP client: the message as a here-document, the key from the environment. */
export function curlSmtpCommand(r: SmtpReproduce): string {
  const html = !r.text && !!r.html;
  const body = (r.text || r.html || '').replace(/^EOF$/gm, 'EOF ');
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  return [
    "cat > message.eml <<'EOF'",
    `From: ${r.from}`,
    `To: ${r.to}`,
    `Subject: ${r.subject}`,
    'MIME-Version: 1.0',
    `Content-Type: text/${html ? 'html' : 'plain'}; charset=utf-8`,
    '',
    body,
    'EOF',
    `curl --url ${q(r.server)} ${r.server.startsWith('smtps:') ? '' : '--ssl-reqd '}\\`,
    ...(r.caFile ? [`  --cacert ${q(r.caFile)} \\`] : []),
    `  --user "${r.username.replace(/["$`\\]/g, '\\$&')}:$SENDMUX_API_KEY" \\`,
    `  --mail-from ${q(r.from)} --mail-rcpt ${q(r.to)} \\`,
    '  --upload-file message.eml',
  ].join('\n');
}
