// bench/send-overhead: what the console's send path adds on top of Sendmux itself.
//
// Starts the production build (build it first: `npm run build`) with the Node flags of `npm start`
// (bench/support/console-server.ts) on a fresh embedded database in sandbox mode, signs in, then
// sends the same message N times through the Compose server action (session check, zod
// validation, request-log rows, the client) and N times straight to the sandbox endpoint the
// action talks to, interleaved. Prints p50/p95 of both and the difference.
//
//   node --import tsx bench/send-overhead.ts [N=1000]
//
// On PostgreSQL: BENCH_DATABASE_URL names a role that may CREATE DATABASE; a throwaway database is
// created for the run and dropped afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@/lib/testing/throwaway-database';
import { emptyMessage } from '@/lib/schemas/message-values';
import type { MessageInput } from '@/lib/schemas/message';
import { actionId, signIn, startConsole, type Console } from './support/console-server';

const N = Number(process.argv[2] ?? 1000);
const WARMUP = 30;
const port = Number(process.env.BENCH_PORT ?? 3987);
const sandboxKey = 'smx_mbx_sbx_bench_key_00000000000000';
const admin = { email: 'bench@example.com', password: 'bench-password-123' };

const message: MessageInput = {
  ...emptyMessage(),
  from: { email: 'sandbox@sendmux.test', name: 'Bench' },
  to: { email: 'bench@example.com', name: '' },
  subject: 'Send overhead benchmark',
  htmlBody: '<p>Hello from the benchmark. This body is the same for both paths.</p>',
  textBody: 'Hello from the benchmark.',
  headers: [{ name: 'X-Bench', value: 'send-overhead' }],
};
const wire = {
  from: { email: 'sandbox@sendmux.test', name: 'Bench' },
  to: { email: 'bench@example.com' },
  subject: message.subject,
  html_body: message.htmlBody,
  text_body: message.textBody,
  custom_headers: { 'X-Bench': 'send-overhead' },
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** A fresh database on the server named by BENCH_DATABASE_URL, or null for embedded PGlite. */
async function throwawayDatabase(): Promise<ThrowawayDatabase | null> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  return adminUrl ? createThrowawayDatabase(adminUrl, 'smx_bench') : null;
}

async function main() {
  const database = await throwawayDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-bench-'));
  let server: Console | undefined;
  try {
    server = await startConsole(port, {
      DATA_DIR: dataDir,
      DATABASE_URL: database?.url,
      SENDMUX_API_KEY: '',
      SENDMUX_KEYS: '',
      SANDBOX_API_KEY: sandboxKey,
      SANDBOX_RATE_LIMIT: '1000000',
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    });
    const base = server.url;
    const cookie = await signIn(server, admin);
    const sendId = actionId('sendEmailAction');

    let seq = 0;
    async function viaAction(): Promise<number> {
      const key = `bench-action-${seq++}`;
      const t0 = performance.now();
      const res = await fetch(`${base}/compose`, {
        method: 'POST',
        headers: {
          'Next-Action': sendId,
          'Content-Type': 'text/plain;charset=UTF-8',
          Origin: base,
          Accept: 'text/x-component',
          Cookie: cookie,
        },
        body: JSON.stringify([{ profile: 'sandbox', idempotencyKey: key, message }]),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (!text.includes('"ok":true')) throw new Error(`action send failed: ${text.slice(0, 300)}`);
      return ms;
    }
    async function direct(): Promise<number> {
      const key = `bench-direct-${seq++}`;
      const t0 = performance.now();
      const res = await fetch(`${base}/sandbox/api/v1/emails/send`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${sandboxKey}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': key,
        },
        body: JSON.stringify(wire),
      });
      await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`direct send failed: ${res.status}`);
      return ms;
    }

    // A short pause after every send, outside the timing: work the console does once the answer is
    // on its way (the request-log completion) must not land on the next request, whichever path
    // that is. A user does not press Send twice within 3 ms either.
    const settle = () => new Promise((r) => setTimeout(r, 3));
    for (let i = 0; i < WARMUP; i++) {
      await viaAction();
      await settle();
      await direct();
      await settle();
    }
    const a: number[] = [];
    const d: number[] = [];
    for (let i = 0; i < N; i++) {
      // Interleaved, so that drift (GC, database growth) affects both paths alike.
      if (i % 2 === 0) {
        a.push(await viaAction());
        await settle();
        d.push(await direct());
      } else {
        d.push(await direct());
        await settle();
        a.push(await viaAction());
      }
      await settle();
    }
    const row = (label: string, v: number[]) =>
      `${label.padEnd(34)} p50 ${percentile(v, 50).toFixed(2).padStart(7)} ms   p95 ${percentile(v, 95).toFixed(2).padStart(7)} ms`;
    console.log(
      `\nsend-overhead: ${N} sends per path after ${WARMUP} warm-up rounds (${database ? 'PostgreSQL' : 'PGlite'}, sandbox mode, ${os.cpus().length} cores)`,
    );
    console.log(row('straight to the sandbox', d));
    console.log(row('through the console server action', a));
    console.log(
      `added latency: p50 ${(percentile(a, 50) - percentile(d, 50)).toFixed(2)} ms, p95 ${(percentile(a, 95) - percentile(d, 95)).toFixed(2)} ms (target ≤ 5 ms at p50)`,
    );
  } finally {
    server?.process.kill('SIGTERM');
    await server?.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  }
}

await main();
