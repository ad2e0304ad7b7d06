import 'server-only';
// Why one long file: every variable the console reads is validated here, in one schema, so that
// lint can keep process.env out of every other module and start-up can list all problems at once.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@/lib/schemas/auth-values';

export const DEFAULT_SENDMUX_API_URL = 'https://smtp.sendmux.ai/api/v1';
export const SANDBOX_API_PATH = '/sandbox/api/v1';
/** The sandbox's management API (delivery logs), standing in for https://app.sendmux.ai/api/v1. */
export const SANDBOX_MANAGEMENT_PATH = '/sandbox/management/v1';
/** The key profile name of delivery-log lookups in the request log; no sending profile may take it. */
export const MANAGEMENT_KEY_PROFILE = 'management';
export const DEFAULT_SENDMUX_SMTP_URL = 'smtp://smtp.sendmux.ai:587';
export const DEFAULT_SANDBOX_SMTP_PORT = 2525;
export const DEFAULT_SENDMUX_MANAGEMENT_API_URL = 'https://app.sendmux.ai/api/v1';
/** Where Sendmux (or the sandbox) posts delivery events; APP_URL + this is the URL to register. */
export const WEBHOOK_PATH = '/api/webhooks/sendmux';

/** Where the console sends SMTP test messages. */
export type SmtpTarget = {
  /** smtp://host:port (STARTTLS) or smtps://host:port (TLS from the first byte). */
  url: string;
  host: string;
  port: number;
  /** True for smtps://: TLS from the first byte instead of STARTTLS. */
  implicitTls: boolean;
  /** The built-in sandbox listener's CA is trusted: sandbox mode, or the URL points at this console's own listener. */
  trustSandboxCa: boolean;
  /** SENDMUX_SMTP_CA_FILE, resolved: a PEM of extra CA certificates to trust. */
  caFile: string | undefined;
};

export type KeyProfile = { name: string; key: string };

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** HOST: the interface the console binds (unset: all interfaces). */
  host: string | undefined;
  appUrl: string;
  /** APP_URL is https: cookies are Secure and __Host- prefixed, and HSTS is sent. */
  secure: boolean;
  /** Reverse proxies in front of the console whose X-Forwarded-* headers are believed (0: none). */
  trustProxy: number;
  dataDir: string;
  databaseUrl: string | undefined;
  db: 'pglite' | 'postgres';
  sendmuxApiUrl: string;
  /** Keys configured for real Sendmux (or whatever SENDMUX_API_URL points at). Empty in sandbox mode. */
  keyProfiles: KeyProfile[];
  mode: 'sandbox' | 'live';
  /** The built-in emulator is served in sandbox mode, or when SENDMUX_API_URL points at this console's own sandbox. */
  sandboxServed: boolean;
  sandboxApiKey: string | undefined;
  sandboxRateLimit: number;
  /** The sandbox's SMTP listener: port and the address it binds (127.0.0.1 unless HOST says otherwise). */
  sandboxSmtp: { port: number; bindHost: string };
  smtp: SmtpTarget;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  sessionSecret: string | undefined;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  sendmuxTimeoutMs: number;
  requestLogRetentionDays: number;
  auditRetentionDays: number;
  batchWorkers: number;
  batchLeaseSeconds: number;
  /** Support sees message bodies, custom header values and attachment names (else only metadata). */
  supportSeesBodies: boolean;
  /** Batch requests per minute per key; undefined: as many as the key's window allows. */
  batchMaxRate: number | undefined;
  /** Requests per window kept for interactive sends: a count, a percentage of the limit, or the default. */
  interactiveReserve: { count?: number; percent?: number };
  /** Bearer token for /api/metrics; undefined: the endpoint answers 404. */
  metricsToken: string | undefined;
  /** NEXT_MANUAL_SIG_HANDLE: Next leaves SIGTERM to the console, which drains before exiting. */
  drainOnSignal: boolean;
  /** SENDMUX_WEBHOOK_SECRETS: every secret a webhook signature may be made with (old and new while rotating). */
  webhookSecrets: string[];
  /** SENDMUX_MANAGEMENT_KEY (smx_root_…, logs.read): reads delivery logs, never sends. */
  managementKey: string | undefined;
  managementApiUrl: string;
};

type Source = Record<string, string | undefined>;

const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const int = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a whole number from ${min} to ${max} (got "${value}")`,
        });
        return z.NEVER;
      }
      return n;
    });

const bool = (name: string, fallback: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const v = value.toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false (got "${value}")` });
      return z.NEVER;
    });

/** Shows enough of a key to recognise it in a message, never the key itself. */
export function maskKey(key: string): string {
  const prefix = /^smx_[a-z]+_/.exec(key)?.[0] ?? '';
  return `${prefix}…${key.length > 8 ? key.slice(-4) : ''}`;
}

function checkKey(variable: string, name: string, key: string): string | undefined {
  if (key === '') return `${variable}: the key for profile "${name}" is empty`;
  if (/\s/.test(key)) return `${variable}: the key for profile "${name}" contains whitespace`;
  if (key.startsWith('smx_root_'))
    return `${variable}: profile "${name}" holds a root key (${maskKey(key)}); root keys only work on the management API. Use a sending key (smx_mbx_…) with the email.send permission`;
  return undefined;
}

function parseKeyProfiles(src: Source, errors: string[]): KeyProfile[] {
  const profiles: KeyProfile[] = [];
  const single = src.SENDMUX_API_KEY?.trim();
  if (single) {
    const problem = checkKey('SENDMUX_API_KEY', 'default', single);
    if (problem) errors.push(problem);
    else profiles.push({ name: 'default', key: single });
  }
  const many = src.SENDMUX_KEYS?.trim();
  if (many) {
    const entries = many
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    entries.forEach((entry, i) => {
      const eq = entry.indexOf('=');
      const name = eq === -1 ? '' : entry.slice(0, eq).trim();
      const key = eq === -1 ? '' : entry.slice(eq + 1).trim();
      if (eq === -1 || !PROFILE_NAME.test(name)) {
        errors.push(
          `SENDMUX_KEYS: entry ${i + 1} is not name=key. Expected comma-separated pairs such as transactional=smx_mbx_…,marketing=smx_mbx_… with names of lowercase letters, digits, - or _`,
        );
        return;
      }
      // The request log names delivery-log lookups' key "management": a sending profile may not.
      if (name === MANAGEMENT_KEY_PROFILE)
        return void errors.push(
          `SENDMUX_KEYS: "${MANAGEMENT_KEY_PROFILE}" is reserved for the delivery-logs key (SENDMUX_MANAGEMENT_KEY) in the request log; name this sending profile otherwise`,
        );
      const problem = checkKey('SENDMUX_KEYS', name, key);
      if (problem) return void errors.push(problem);
      if (profiles.some((p) => p.name === name)) {
        errors.push(
          `SENDMUX_KEYS: profile "${name}" is defined twice${name === 'default' ? ' (SENDMUX_API_KEY already defines "default")' : ''}`,
        );
        return;
      }
      profiles.push({ name, key });
    });
  }
  return profiles;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];
const WILDCARD = ['0.0.0.0', '::'];
const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, '$1');
const bracket = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** smtp://host[:port] or smtps://host[:port], nothing else: the key profile supplies the password. */
function parseSmtpUrl(value: string): { host: string; port: number; implicitTls: boolean } | string {
  const expected =
    'SENDMUX_SMTP_URL must be smtp://host:port (STARTTLS, e.g. smtp://smtp.sendmux.ai:587) or smtps://host:port (TLS from the start)';
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return expected;
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') return expected;
  if (u.username || u.password)
    return 'SENDMUX_SMTP_URL must not hold a username or password: the key of the chosen profile is the password';
  if ((u.pathname && u.pathname !== '/') || u.search || u.hash || !u.hostname) return expected;
  const implicitTls = u.protocol === 'smtps:';
  return {
    host: unbracket(u.hostname),
    port: u.port ? Number(u.port) : implicitTls ? 465 : 587,
    implicitTls,
  };
}

/** The CA file must exist and hold at least one PEM certificate: a typo would otherwise only show at the first test send. */
function checkCaFile(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    return `SENDMUX_SMTP_CA_FILE: cannot read ${file} (${code}); give the path of a PEM file with the CA certificate`;
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text))
    return `SENDMUX_SMTP_CA_FILE: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)`;
  return undefined;
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
  PORT: int('PORT', 1, 65535, 3000),
  HOST: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9.:[\]-]+$/,
      'HOST must be an interface address or host name such as 127.0.0.1 or 0.0.0.0',
    )
    .optional(),
  APP_URL: z
    .url({
      protocol: /^https?$/,
      error: 'APP_URL must be an http(s) URL such as https://console.example.com',
    })
    .optional(),
  DATA_DIR: z.string().trim().optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^postgres(ql)?:\/\/.+/.test(v), {
      message:
        'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/db (leave it unset for the embedded database)',
    }),
  SENDMUX_API_URL: z
    .url({
      protocol: /^https?$/,
      error: 'SENDMUX_API_URL must be an http(s) URL such as https://smtp.sendmux.ai/api/v1',
    })
    .optional(),
  SANDBOX_API_KEY: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || (v.length >= 16 && !/\s/.test(v)), {
      message: 'SANDBOX_API_KEY must be at least 16 characters without spaces',
    }),
  SANDBOX_RATE_LIMIT: int('SANDBOX_RATE_LIMIT', 1, 1_000_000, 1800),
  SANDBOX_SMTP_PORT: int('SANDBOX_SMTP_PORT', 1, 65535, DEFAULT_SANDBOX_SMTP_PORT),
  SENDMUX_SMTP_URL: z.string().trim().optional(),
  SENDMUX_SMTP_CA_FILE: z.string().trim().optional(),
  ADMIN_EMAIL: z
    .email({ error: 'ADMIN_EMAIL must be an email address such as admin@example.com' })
    .max(254)
    .optional(),
  ADMIN_PASSWORD: z
    .string()
    .optional()
    .refine((v) => !v || (v.length >= MIN_PASSWORD_LENGTH && v.length <= MAX_PASSWORD_LENGTH), {
      message: `ADMIN_PASSWORD must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    }),
  SESSION_SECRET: z
    .string()
    .optional()
    .refine((v) => !v || v.length >= 32, {
      message: 'SESSION_SECRET must be at least 32 characters (try: openssl rand -hex 32)',
    }),
  SESSION_IDLE_MINUTES: int('SESSION_IDLE_MINUTES', 5, 60 * 24 * 30, 120),
  SESSION_MAX_HOURS: int('SESSION_MAX_HOURS', 1, 24 * 90, 24),
  SENDMUX_TIMEOUT_MS: int('SENDMUX_TIMEOUT_MS', 1000, 300_000, 30_000),
  REQUEST_LOG_RETENTION_DAYS: int('REQUEST_LOG_RETENTION_DAYS', 1, 3650, 30),
  AUDIT_RETENTION_DAYS: int('AUDIT_RETENTION_DAYS', 1, 3650, 365),
  TRUST_PROXY: int('TRUST_PROXY', 0, 10, 0),
  BATCH_WORKERS: int('BATCH_WORKERS', 1, 64, 4),
  BATCH_LEASE_SECONDS: int('BATCH_LEASE_SECONDS', 5, 3600, 60),
  SUPPORT_SEES_BODIES: bool('SUPPORT_SEES_BODIES', true),
  BATCH_MAX_RATE: int('BATCH_MAX_RATE', 1, 1_000_000, 0),
  INTERACTIVE_RESERVE: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return {};
      const m = /^(\d+)(%?)$/.exec(value);
      const n = m ? Number(m[1]) : NaN;
      if (!m || (m[2] === '%' && n > 100) || n > 1_000_000) {
        ctx.addIssue({
          code: 'custom',
          message: `INTERACTIVE_RESERVE must be a number of requests per window such as 20, or a share of the key's limit such as 5% (got "${value}")`,
        });
        return z.NEVER;
      }
      return m[2] === '%' ? { percent: n } : { count: n };
    }),
  METRICS_TOKEN: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || (v.length >= 16 && /^[\x21-\x7e]+$/.test(v)), {
      message:
        'METRICS_TOKEN must be at least 16 printable characters without spaces (try: openssl rand -hex 24)',
    }),
  NEXT_MANUAL_SIG_HANDLE: z.string().optional(),
  SENDMUX_WEBHOOK_SECRETS: z.string().optional(),
  SENDMUX_MANAGEMENT_KEY: z.string().trim().optional(),
  SENDMUX_MANAGEMENT_API_URL: z
    .url({
      protocol: /^https?$/,
      error: 'SENDMUX_MANAGEMENT_API_URL must be an http(s) URL such as https://app.sendmux.ai/api/v1',
    })
    .optional(),
});

function parseWebhookSecrets(value: string | undefined, errors: string[]): string[] {
  const secrets = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  secrets.forEach((secret, i) => {
    if (secret.length < 16 || /\s/.test(secret))
      errors.push(
        `SENDMUX_WEBHOOK_SECRETS: secret ${i + 1} is shorter than 16 characters or contains whitespace; paste the signing secret Sendmux showed when the webhook was created (several: comma-separated, old and new while rotating)`,
      );
  });
  return secrets;
}

function checkManagementKey(key: string | undefined, profiles: KeyProfile[]): string | undefined {
  if (!key) return undefined;
  if (!key.startsWith('smx_root_') || /\s/.test(key))
    return `SENDMUX_MANAGEMENT_KEY must be a management key (smx_root_…) with the logs.read permission (got ${maskKey(key)})`;
  if (profiles.some((p) => p.key === key))
    return `SENDMUX_MANAGEMENT_KEY (${maskKey(key)}) is also configured as a sending key profile; it only reads delivery logs and can never send`;
  return undefined;
}

export type EnvResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export function parseEnv(src: Source, cwd = process.cwd()): EnvResult {
  const errors: string[] = [];
  // Empty strings mean "unset", as in most .env loaders.
  const cleaned = Object.fromEntries(
    Object.entries(src).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? '');
      errors.push(issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`);
    }
  }
  const keyProfiles = parseKeyProfiles(cleaned, errors);
  const webhookSecrets = parseWebhookSecrets(cleaned.SENDMUX_WEBHOOK_SECRETS, errors);
  const managementProblem = checkManagementKey(cleaned.SENDMUX_MANAGEMENT_KEY?.trim(), keyProfiles);
  if (managementProblem) errors.push(managementProblem);
  const e = parsed.data;
  if (e && !!e.ADMIN_EMAIL !== !!e.ADMIN_PASSWORD) {
    errors.push(
      'ADMIN_EMAIL and ADMIN_PASSWORD go together: set both to create the first admin, or neither to get a one-time setup link',
    );
  }
  const smtpUrl = e?.SENDMUX_SMTP_URL ? parseSmtpUrl(e.SENDMUX_SMTP_URL) : undefined;
  if (typeof smtpUrl === 'string') errors.push(smtpUrl);
  const caFile = e?.SENDMUX_SMTP_CA_FILE ? path.resolve(cwd, e.SENDMUX_SMTP_CA_FILE) : undefined;
  const caProblem = caFile ? checkCaFile(caFile) : undefined;
  if (caProblem) errors.push(caProblem);
  if (errors.length > 0 || !e || typeof smtpUrl === 'string') return { ok: false, errors };

  const mode = keyProfiles.length > 0 ? 'live' : 'sandbox';
  const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const ownSandbox = `http://127.0.0.1:${e.PORT}${SANDBOX_API_PATH}`;
  const apiUrl = (e.SENDMUX_API_URL ?? DEFAULT_SENDMUX_API_URL).replace(/\/$/, '');
  const pointsAtOwnSandbox = (() => {
    const u = new URL(apiUrl);
    return (
      ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) &&
      u.port === String(e.PORT) &&
      u.pathname === SANDBOX_API_PATH
    );
  })();

  const sandboxServed = mode === 'sandbox' || pointsAtOwnSandbox;
  // The listener binds HOST when it names one interface; on all interfaces or none, loopback is enough.
  const host = e.HOST ? unbracket(e.HOST) : undefined;
  const bindHost = host && !WILDCARD.includes(host) ? host : '127.0.0.1';
  const smtpPort = e.SANDBOX_SMTP_PORT;
  const target =
    mode === 'sandbox'
      ? { host: bindHost, port: smtpPort, implicitTls: false }
      : (smtpUrl ?? parseSmtpUrlOrThrow(DEFAULT_SENDMUX_SMTP_URL));
  const smtp: SmtpTarget = {
    url: `${target.implicitTls ? 'smtps' : 'smtp'}://${bracket(target.host)}:${target.port}`,
    ...target,
    trustSandboxCa:
      sandboxServed &&
      !target.implicitTls &&
      target.port === smtpPort &&
      (LOOPBACK.includes(target.host) || target.host === bindHost),
    caFile,
  };

  return {
    ok: true,
    config: {
      nodeEnv: e.NODE_ENV,
      port: e.PORT,
      host: e.HOST,
      appUrl,
      secure: appUrl.startsWith('https://'),
      trustProxy: e.TRUST_PROXY,
      dataDir: path.resolve(cwd, e.DATA_DIR ?? 'data'),
      databaseUrl: e.DATABASE_URL,
      db: e.DATABASE_URL ? 'postgres' : 'pglite',
      sendmuxApiUrl: mode === 'sandbox' ? ownSandbox : apiUrl,
      keyProfiles,
      mode,
      sandboxServed,
      sandboxApiKey: e.SANDBOX_API_KEY,
      sandboxRateLimit: e.SANDBOX_RATE_LIMIT,
      sandboxSmtp: { port: smtpPort, bindHost },
      smtp,
      adminEmail: e.ADMIN_EMAIL?.toLowerCase(),
      adminPassword: e.ADMIN_PASSWORD,
      sessionSecret: e.SESSION_SECRET,
      sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
      sessionMaxHours: e.SESSION_MAX_HOURS,
      sendmuxTimeoutMs: e.SENDMUX_TIMEOUT_MS,
      requestLogRetentionDays: e.REQUEST_LOG_RETENTION_DAYS,
      auditRetentionDays: e.AUDIT_RETENTION_DAYS,
      batchWorkers: e.BATCH_WORKERS,
      batchLeaseSeconds: e.BATCH_LEASE_SECONDS,
      supportSeesBodies: e.SUPPORT_SEES_BODIES,
      batchMaxRate: e.BATCH_MAX_RATE === 0 ? undefined : e.BATCH_MAX_RATE,
      interactiveReserve: e.INTERACTIVE_RESERVE,
      metricsToken: e.METRICS_TOKEN,
      drainOnSignal: e.NEXT_MANUAL_SIG_HANDLE === 'true' || e.NEXT_MANUAL_SIG_HANDLE === '1',
      webhookSecrets,
      managementKey: e.SENDMUX_MANAGEMENT_KEY,
      managementApiUrl: (e.SENDMUX_MANAGEMENT_API_URL ?? DEFAULT_SENDMUX_MANAGEMENT_API_URL).replace(
        /\/$/,
        '',
      ),
    },
  };
}

function parseSmtpUrlOrThrow(value: string) {
  const parsed = parseSmtpUrl(value);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

export function formatEnvErrors(errors: string[]): string {
  return [
    'Sendmux Console cannot start: the configuration is invalid.',
    ...errors.map((e) => `  - ${e}`),
    'See .env.example for every variable.',
  ].join('\n');
}

let cached: Config | undefined;

/** The validated configuration. Throws with a readable message when it is invalid. */
export function getEnv(): Config {
  if (cached) return cached;
  const result = parseEnv(process.env);
  if (!result.ok) throw new Error(formatEnvErrors(result.errors));
  cached = result.config;
  return cached;
}

/** True when the current process runs under Next's build step, where no request-time config exists. */
export function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === 'phase-production-build';
}

export function resetEnvForTests(): void {
  cached = undefined;
}
