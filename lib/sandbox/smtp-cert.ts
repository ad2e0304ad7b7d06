import 'server-only';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import selfsigned from 'selfsigned';

// The sandbox listener's STARTTLS certificate: a private CA made on first start, and a server
// certificate it signs for the names the listener is reached by. Only the CA certificate is
// public (the console trusts it, and a developer may give it to their own tool); the CA's key is
// thrown away once it has signed, so nothing else can ever be issued under it.

export const CA_FILE = 'sandbox-smtp-ca.pem';
/** The server's key and certificate in one file, so a reader never sees one without the other. */
export const SERVER_FILE = 'sandbox-smtp-server.pem';
export const CA_NAME = 'Sendmux Console sandbox CA';

const YEARS = 5;
/** A server certificate this close to expiry is made anew at start-up. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

export type SandboxCertificate = {
  key: string;
  cert: string;
  caPem: string;
  caFile: string;
  /** True when this call made the files (first start, new names, or an expiring certificate). */
  created: boolean;
};

const PEM_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----\r?\n?/;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\r?\n?/;

/** The names the certificate covers: loopback in both families and the host the listener binds. */
export function certificateNames(bindHost: string): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', bindHost])];
}

function covers(cert: X509Certificate, name: string): boolean {
  return net.isIP(name) ? cert.checkIP(name) !== undefined : cert.checkHost(name) !== undefined;
}

function readExisting(dir: string, names: string[]): SandboxCertificate | null {
  try {
    const caPem = fs.readFileSync(path.join(dir, CA_FILE), 'utf8');
    const server = fs.readFileSync(path.join(dir, SERVER_FILE), 'utf8');
    const key = PEM_KEY.exec(server)?.[0];
    const cert = PEM_CERT.exec(server)?.[0];
    if (!key || !cert) return null;
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(cert);
    if (!leaf.verify(ca.publicKey)) return null;
    if (new Date(leaf.validTo).getTime() - Date.now() < RENEW_BEFORE_MS) return null;
    if (!names.every((n) => covers(leaf, n))) return null;
    return { key, cert, caPem, caFile: path.join(dir, CA_FILE), created: false };
  } catch {
    return null;
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a PEM. */
function writeAtomically(file: string, content: string, mode: number) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}

function altNames(names: string[]) {
  return names.map((n) => (net.isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n }));
}

/** The listener's certificate from DATA_DIR, made there when missing, expiring, or not covering `bindHost`. */
export async function ensureSandboxCertificate(dir: string, bindHost: string): Promise<SandboxCertificate> {
  const names = certificateNames(bindHost);
  const existing = readExisting(dir, names);
  if (existing) return existing;

  fs.mkdirSync(dir, { recursive: true });
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate);
  notAfterDate.setFullYear(notAfterDate.getFullYear() + YEARS);
  const common = { keyType: 'ec' as const, algorithm: 'sha256' as const, notBeforeDate, notAfterDate };
  const ca = await selfsigned.generate([{ name: 'commonName', value: CA_NAME }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: altNames(names) },
    ],
  });
  const caFile = path.join(dir, CA_FILE);
  writeAtomically(caFile, ca.cert, 0o644);
  writeAtomically(path.join(dir, SERVER_FILE), `${server.private.trim()}\n${server.cert.trim()}\n`, 0o600);
  return { key: server.private, cert: server.cert, caPem: ca.cert, caFile, created: true };
}

/** The CA certificate the console trusts for its own listener; null before the listener ever started. */
export function readSandboxCa(dir: string): string | null {
  try {
    return fs.readFileSync(path.join(dir, CA_FILE), 'utf8');
  } catch {
    return null;
  }
}
