// Shared by the Playwright config, the main server launcher and the specs. Ports are uncommon on
// purpose and can be moved with E2E_PORT when something else holds them.
const port = Number(process.env.E2E_PORT ?? 3917);

/** The sandbox SMTP listener of a console on `httpPort`: its own port, so no two consoles share one. */
export const smtpPortFor = (httpPort: number) => httpPort + 10_000;

export const E2E = {
  port,
  baseUrl: `http://127.0.0.1:${port}`,
  smtpPort: smtpPortFor(port),
  /** Per port, so that two e2e runs on one machine never share (or wipe) each other's data. */
  root: `.e2e-data/${port}`,
  dataDir: `.e2e-data/${port}/main`,
  sandboxKey: 'smx_mbx_sbx_e2e_sandbox_key_0000000000',
  admin: { email: 'admin@e2e.test', password: 'admin-password-e2e' },
  sender: { email: 'sender@e2e.test', password: 'sender-password-e2e' },
  support: { email: 'support@e2e.test', password: 'support-password-e2e' },
  /** Extra servers started by specs take ports from here upwards. */
  extraPortBase: port + 20,
  storageState: (role: 'admin' | 'sender' | 'support') => `.e2e-data/${port}/auth/${role}.json`,
};
