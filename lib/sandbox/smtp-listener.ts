import 'server-only';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { getEnv } from '@/lib/env';
import { scopeOfKey } from '@/lib/sandbox/auth';
import { countAttempt } from '@/lib/sandbox/faults';
import { sleep } from '@/lib/sandbox/http';
import { hashJson } from '@/lib/sandbox/idempotency';
import { newMessageId, newRequestId } from '@/lib/sandbox/ids';
import { LIMITS } from '@/lib/sandbox/limits';
import { insertOutboxMessages } from '@/lib/sandbox/outbox';
import { wakeWebhookDispatcher } from '@/lib/sandbox/webhooks';
import { takeRateLimit } from '@/lib/sandbox/rate-limit';
import { parseScenarioAddress, scenariosOf } from '@/lib/sandbox/scenarios';
import { ensureSandboxCertificate } from '@/lib/sandbox/smtp-cert';
import { messageFromMime, type SmtpOutboxMessage } from '@/lib/sandbox/smtp-message';
import { scenarioReply, smtpError, SMTP_REPLY_FOR } from '@/lib/sandbox/smtp-replies';
import { sandboxState, type SmtpListenerStatus } from '@/lib/sandbox/state';
import { sandboxDb } from '@/lib/sandbox/store';
import { isEmailAddress } from '@/lib/sandbox/validate';

export type { SmtpListenerStatus } from '@/lib/sandbox/state';

/** The endpoint an SMTP message is stored under in the outbox, beside /emails/send. */
export const SMTP_ENDPOINT = 'SMTP';
const SERVER_NAME = 'sandbox.sendmux.test';

type Session = SMTPServerSession & { user?: string };

/** What the sandbox answers an SMTP transaction: a reply, and whether to close the connection after it. */
type Answer = { error: Error & { responseCode: number } } | { queued: string };

function reject(code: number, text: string) {
  return smtpError({ code, text });
}

async function readData(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Scenarios, then the outbox: the same address rules as the HTTP side, answered with SMTP codes. */
async function deliver(raw: Buffer, session: Session): Promise<Answer> {
  const scope = session.user ?? '';
  const rcptTo = session.envelope.rcptTo.map((r) => r.address);
  const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  let message: SmtpOutboxMessage;
  try {
    message = await messageFromMime(raw, { mailFrom, rcptTo });
  } catch (err) {
    return { error: reject(554, `5.6.0 The message could not be parsed: ${(err as Error).message}`) };
  }
  const [first = '', ...rest] = rcptTo;
  const scenarios = scenariosOf({ to: { email: first }, cc: rest.map((email) => ({ email })) });
  const { smtp: _envelope, ...content } = message;
  const attempts = `${scope}|${SMTP_ENDPOINT}|body:${hashJson({ content, rcptTo })}`;

  if (scenarios.drop === 'always')
    return { error: reject(421, '4.4.2 Connection dropped (sandbox scenario drop@); nothing was stored') };
  if (scenarios.flaky && countAttempt(`${attempts}|flaky`) <= scenarios.flaky.times) {
    const r = scenarioReply(scenarios.flaky.code, scenarios.flaky.address);
    return { error: reject(r.code, r.text) };
  }
  const dropAnswer = scenarios.drop === 'once' && countAttempt(`${attempts}|drop`) === 1;
  if (scenarios.slowMs > 0) await sleep(scenarios.slowMs);
  if (scenarios.fail) {
    const r = scenarioReply(scenarios.fail.code, scenarios.fail.address);
    return { error: reject(r.code, r.text) };
  }

  const id = newMessageId();
  await insertOutboxMessages(await sandboxDb(), [
    {
      id,
      requestId: newRequestId(),
      idempotencyKey: null,
      endpoint: SMTP_ENDPOINT,
      batchIndex: null,
      fromEmail: message.from.email,
      toEmail: message.to.email,
      subject: message.subject,
      message: message as unknown as Record<string, unknown>,
    },
  ]);
  wakeWebhookDispatcher();
  if (dropAnswer)
    return {
      error: reject(
        421,
        '4.4.2 Connection dropped after the message was stored (sandbox scenario drop+once@)',
      ),
    };
  return { queued: `2.0.0 OK: queued as ${id}` };
}

function createServer(tls: { key: string; cert: string }): SMTPServer {
  return new SMTPServer({
    name: SERVER_NAME,
    banner: 'Sendmux Console sandbox: STARTTLS, then AUTH PLAIN or LOGIN with the sandbox key as password',
    key: tls.key,
    cert: tls.cert,
    secure: false,
    // AUTH before STARTTLS is refused (538), so a key can never cross the wire in clear text.
    allowInsecureAuth: false,
    authMethods: ['PLAIN', 'LOGIN'],
    size: LIMITS.messageBytes,
    rejectOversized: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 2_000,
    onAuth(auth, _session, callback) {
      const scope = scopeOfKey(auth.password ?? '');
      if (!scope)
        return callback(
          reject(535, '5.7.8 Authentication credentials invalid: the password must be the API key'),
        );
      callback(null, { user: scope });
    },
    onMailFrom(address, session: Session, callback) {
      // The window is in the database, shared with the HTTP sandbox and every instance.
      takeRateLimit(session.user ?? '').then(
        (rate) => {
          if (!rate.allowed)
            return callback(
              reject(
                451,
                `4.7.1 Rate limit exceeded: at most ${rate.limit} requests per 60 seconds per key, SMTP and HTTP together; retry in ${rate.retryAfterSeconds} s`,
              ),
            );
          if (!address.address) return callback(reject(550, '5.1.7 A sender address is required'));
          if (!isEmailAddress(address.address))
            return callback(reject(553, `5.1.7 "${address.address}" is not a valid sender address`));
          callback();
        },
        () => callback(reject(451, '4.3.0 Temporary server error: try again later')),
      );
    },
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= LIMITS.recipients)
        return callback(reject(452, `4.5.3 Too many recipients: at most ${LIMITS.recipients} per message`));
      if (!isEmailAddress(address.address))
        return callback(reject(553, `5.1.3 "${address.address}" is not a valid recipient address`));
      const scenario = parseScenarioAddress(address.address);
      if (scenario && 'problem' in scenario) return callback(reject(553, `5.1.3 ${scenario.problem}`));
      callback();
    },
    onData(stream, session: Session, callback) {
      readData(stream)
        .then((raw) => (stream.sizeExceeded ? null : deliver(raw, session)))
        .then((answer) => {
          // An oversized message is answered by smtp-server itself (552 5.3.4).
          if (!answer) return callback(null);
          if ('error' in answer) return callback(answer.error);
          callback(null, answer.queued);
        })
        .catch((err: unknown) => {
          console.error(`sandbox smtp: a message failed: ${(err as Error).message?.split('\n')[0]}`);
          callback(smtpError(SMTP_REPLY_FOR.internal_error));
        });
    },
  });
}

function setStatus(status: SmtpListenerStatus, server?: SMTPServer) {
  sandboxState().smtp = { status, server };
}

/** The listener's state, for Settings → SMTP. */
export function sandboxSmtpStatus(): SmtpListenerStatus {
  return sandboxState().smtp?.status ?? { state: 'off' };
}

function describeListenError(err: NodeJS.ErrnoException, host: string, port: number): string {
  if (err.code === 'EADDRINUSE')
    return `port ${port} on ${host} is already in use (EADDRINUSE); set SANDBOX_SMTP_PORT to a free port`;
  if (err.code === 'EACCES')
    return `not allowed to listen on port ${port} (EACCES); choose a port above 1023 with SANDBOX_SMTP_PORT`;
  if (err.code === 'EADDRNOTAVAIL')
    return `${host} is not an address of this machine (EADDRNOTAVAIL); check HOST`;
  return `${err.code ?? 'error'}: ${err.message}`;
}

/**
 * Starts the sandbox's SMTP listener when the console serves the sandbox. It never stops the
 * console: when the port is taken, the reason is logged and shown on Settings → SMTP.
 */
export async function startSandboxSmtp(log: (line: string) => void): Promise<SmtpListenerStatus> {
  const env = getEnv();
  if (!env.sandboxServed) {
    setStatus({ state: 'off' });
    return sandboxSmtpStatus();
  }
  const { port, bindHost: host } = env.sandboxSmtp;
  setStatus({ state: 'starting', host, port });
  let certificate;
  try {
    certificate = await ensureSandboxCertificate(env.dataDir, host);
  } catch (err) {
    const reason = `its TLS certificate could not be made in ${env.dataDir}: ${(err as Error).message}`;
    setStatus({ state: 'failed', host, port, reason });
    log(`Sandbox SMTP listener not started: ${reason}`);
    return sandboxSmtpStatus();
  }
  if (certificate.created) log(`Sandbox SMTP: made a TLS certificate; its CA is ${certificate.caFile}`);
  const server = createServer(certificate);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const reason = describeListenError(err as NodeJS.ErrnoException, host, port);
    setStatus({ state: 'failed', host, port, reason });
    log(`Sandbox SMTP listener not started: ${reason}`);
    return sandboxSmtpStatus();
  }
  server.on('error', (err) => console.error(`sandbox smtp: ${err.message}`));
  setStatus({ state: 'listening', host, port, caFile: certificate.caFile }, server);
  log(
    `Sandbox SMTP listener on ${host.includes(':') ? `[${host}]` : host}:${port} (STARTTLS, AUTH with the sandbox key)`,
  );
  return sandboxSmtpStatus();
}

/** Stops the listener (tests; the console's process ending closes it too). */
export async function stopSandboxSmtp(): Promise<void> {
  const server = sandboxState().smtp?.server;
  setStatus({ state: 'off' });
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
}
