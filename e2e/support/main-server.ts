// The console the e2e specs run against: a production build on a fresh embedded database,
// sandbox mode, a known admin and sandbox key.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { E2E } from './constants';

const root = path.resolve(import.meta.dirname, '../..');
fs.rmSync(path.join(root, E2E.root), { recursive: true, force: true });
fs.mkdirSync(path.join(root, E2E.dataDir), { recursive: true });

const child = spawn(
  process.execPath,
  [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(E2E.port), '-H', '127.0.0.1'],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(E2E.port),
      DATA_DIR: path.join(root, E2E.dataDir),
      DATABASE_URL: '',
      SENDMUX_API_KEY: '',
      SENDMUX_KEYS: '',
      ADMIN_EMAIL: E2E.admin.email,
      ADMIN_PASSWORD: E2E.admin.password,
      SANDBOX_API_KEY: E2E.sandboxKey,
      SANDBOX_RATE_LIMIT: '100000',
      SANDBOX_SMTP_PORT: String(E2E.smtpPort),
      SENDMUX_SMTP_URL: '',
      SENDMUX_SMTP_CA_FILE: '',
    },
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
