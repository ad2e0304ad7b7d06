import fs from 'node:fs';
import net from 'node:net';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E } from './support/constants';
import { randomId } from '../lib/ids';
import { outboxFor } from './support/sandbox';

// File uploads go to route handlers that check the session and role before they read a byte of
// the body, and stop reading at a hard cap.

type StoredState = { cookies: { name: string; value: string }[] };
const cookieOf = (role: 'sender' | 'support') =>
  (JSON.parse(fs.readFileSync(E2E.storageState(role), 'utf8')) as StoredState).cookies
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');

/** An HTTP/1.1 request head for the e2e console, as a client writes it on a socket. */
const requestHead = (method: string, path: string, headers: Record<string, string> = {}) =>
  [
    `${method} ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${E2E.port}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ]
    .join('\r\n')
    .concat('\r\n\r\n');

/**
 * Sends only the request head, announcing a body that never comes, and returns the status line
 * the server answers with. A server that read the body first would never answer.
 */
function headOnly(path: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(E2E.port, '127.0.0.1', () => socket.write(requestHead('POST', path, headers)));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n');
      if (end !== -1) {
        resolve(data.slice(0, end));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.setTimeout(15_000, () => {
      socket.destroy();
      resolve('no answer');
    });
  });
}

const query = (filename: string) =>
  `/api/attachments?profile=sandbox&idempotencyKey=e2e-upload-${Date.now()}&filename=${encodeURIComponent(filename)}`;

test('a signed-out or support caller is refused before the body is read', async () => {
  const huge = { 'Content-Type': 'application/octet-stream', 'Content-Length': '100000000' };
  expect(await headOnly(query('a.pdf'), huge)).toMatch(/^HTTP\/1\.1 401/);
  expect(await headOnly(query('a.pdf'), { ...huge, Cookie: cookieOf('support') })).toMatch(/^HTTP\/1\.1 403/);
  expect(await headOnly(query('a.pdf'), { ...huge, Cookie: cookieOf('sender') })).toMatch(/^HTTP\/1\.1 413/);
});

test('a browser on another site is refused, even with the session cookie', async ({ request }) => {
  const res = await request.post(query('a.pdf'), {
    headers: {
      Cookie: cookieOf('sender'),
      Origin: 'https://evil.example',
      'Content-Type': 'application/octet-stream',
    },
    data: Buffer.from('%PDF-1.4'),
  });
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'cross_origin' } });
});

test('an upload over 18 MiB is refused with 413', async ({ request }) => {
  const res = await request.post(query('big.pdf'), {
    headers: { Cookie: cookieOf('sender'), 'Content-Type': 'application/octet-stream' },
    data: Buffer.alloc(18 * 1024 * 1024 + 1),
  });
  expect(res.status()).toBe(413);
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
});

test('bad input is refused with field errors, a good file is uploaded and can be sent by id', async ({
  request,
}) => {
  const bad = await request.post(query('../evil.pdf').replace('profile=sandbox', 'profile='), {
    headers: { Cookie: cookieOf('sender') },
    data: Buffer.from('%PDF-1.4'),
  });
  expect(bad.status()).toBe(400);
  const body = (await bad.json()) as { fieldErrors: Record<string, string[]> };
  expect(Object.keys(body.fieldErrors).sort()).toEqual(['filename', 'profile']);

  const exe = await request.post(query('tool.exe'), {
    headers: { Cookie: cookieOf('sender') },
    data: Buffer.from('MZ'),
  });
  expect(exe.status()).toBe(400);
  expect(await exe.json()).toMatchObject({ ok: false, error: { code: 'file_type' } });

  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
  const ok = await request.post(query('report.pdf'), {
    headers: { Cookie: cookieOf('sender'), 'Content-Type': 'application/octet-stream' },
    data: pdf,
  });
  expect(ok.status()).toBe(201);
  const uploaded = (await ok.json()) as { ok: true; data: { attachmentId: string; size: number } };
  expect(uploaded.data.attachmentId).toMatch(/^att_/);
  expect(uploaded.data.size).toBe(pdf.byteLength);

  const to = `upload-${Date.now().toString(36)}@example.com`;
  const sent = await request.post(`${E2E.baseUrl}/sandbox/api/v1/emails/send`, {
    headers: { Authorization: `Bearer ${E2E.sandboxKey}` },
    data: {
      from: { email: 'sandbox@sendmux.test' },
      to: { email: to },
      subject: 'By id',
      html_body: '<p>x</p>',
      attachments: [{ attachment_id: uploaded.data.attachmentId }],
    },
  });
  expect(sent.status()).toBe(200);
  expect(await outboxFor(request, to)).toHaveLength(1);
});

// A CSV mail merge starts from POST /api/batches: one line of JSON, then the file as a stream.
const postBatch = (request: APIRequestContext, body: string) =>
  request.post('/api/batches', {
    headers: { Cookie: cookieOf('sender'), 'Content-Type': 'application/octet-stream' },
    data: Buffer.from(body),
  });
const batchMeta = (name: string, uploadId?: string) =>
  JSON.stringify({
    name,
    uploadId,
    profile: 'sandbox',
    delimiter: ',',
    encoding: 'utf-8',
    spec: {
      fields: {
        toEmail: { kind: 'column', column: 'email' },
        fromEmail: { kind: 'fixed', value: 'sandbox@sendmux.test' },
      },
      headers: [],
      subject: 'Upload {{name}}',
      htmlBody: '<p>Hi {{name}}</p>',
      textBody: '',
      attachments: [],
      excludedLines: [],
    },
  });

test('a CSV upload is refused before its body is read unless a sender sends it', async () => {
  const huge = { 'Content-Type': 'application/octet-stream', 'Content-Length': '300000000' };
  expect(await headOnly('/api/batches', huge)).toMatch(/^HTTP\/1\.1 401/);
  expect(await headOnly('/api/batches', { ...huge, Cookie: cookieOf('support') })).toMatch(/^HTTP\/1\.1 403/);
  // Over the 250 MB file cap by its declared length: refused without reading.
  expect(await headOnly('/api/batches', { ...huge, Cookie: cookieOf('sender') })).toMatch(/^HTTP\/1\.1 413/);
});

test('a CSV upload with a bad description is refused with field errors; a good one starts a job', async ({
  request,
}) => {
  const bad = await postBatch(
    request,
    `${batchMeta('').replace('"profile":"sandbox"', '"profile":""')}\nemail\na@example.com\n`,
  );
  expect(bad.status()).toBe(400);
  const refused = (await bad.json()) as { fieldErrors: Record<string, string[]> };
  expect(Object.keys(refused.fieldErrors).sort()).toEqual(['name', 'profile']);
  const badId = await postBatch(request, `${batchMeta('Bad id', 'Not An Id!')}\nemail\na@example.com\n`);
  expect(badId.status()).toBe(400);
  expect(((await badId.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors).toEqual({
    uploadId: ['uploadId is 16 to 64 lowercase letters and digits'],
  });

  const to = `csv-upload-${Date.now().toString(36)}@example.com`;
  const name = `E2E upload ${Date.now()}`;
  const upload = `${batchMeta(name, randomId(24))}\nemail,name\n${to},Ada\n`;
  const send = () => postBatch(request, upload);
  const ok = await send();
  expect(ok.status()).toBe(201);
  const started = (await ok.json()) as { ok: true; data: { jobId: string; rows: number } };
  expect(started).toMatchObject({ ok: true, data: { rows: 1 } });
  await expect.poll(async () => (await outboxFor(request, to)).length, { timeout: 30_000 }).toBe(1);

  // The same upload again, as a browser resends it after a broken connection: no second job.
  const again = await send();
  expect(again.status()).toBe(409);
  expect(await again.json()).toMatchObject({
    ok: false,
    error: {
      code: 'duplicate_upload',
      message: expect.stringContaining(`had already started the job “${name}”`),
    },
    jobId: started.data.jobId,
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await outboxFor(request, to)).toHaveLength(1);
});

/**
 * POSTs `body` to `path` over one connection, `chunk` bytes every `every` ms (with its length
 * declared, or chunked), reading the answer as it comes, as a client should; then asks
 * GET /api/health on the same connection. Returns the status lines seen, whether the whole body
 * went out, and any socket error.
 */
function uploadSlowlyThenReuse(
  path: string,
  body: Buffer,
  { chunk, every, chunked = false }: { chunk: number; every: number; chunked?: boolean },
) {
  return new Promise<{ statuses: string[]; sent: boolean; error: string | null }>((resolve) => {
    let data = '';
    let sent = false;
    let error: string | null = null;
    const statuses = () => [...data.matchAll(/^HTTP\/1\.1 \d{3}/gm)].map((m) => m[0]);
    const frame = (piece: Buffer) =>
      chunked
        ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
        : piece;
    const socket = net.connect(E2E.port, '127.0.0.1', () => {
      socket.write(
        requestHead('POST', path, {
          Cookie: cookieOf('sender'),
          'Content-Type': 'application/octet-stream',
          ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(body.length) }),
        }),
      );
      let at = 0;
      const tick = () => {
        if (socket.destroyed) return;
        const piece = frame(body.subarray(at, (at += chunk)));
        if (at < body.length) return socket.write(piece, () => setTimeout(tick, every));
        socket.write(chunked ? Buffer.concat([piece, Buffer.from('0\r\n\r\n')]) : piece, () => {
          sent = true;
          socket.write(requestHead('GET', '/api/health'));
        });
      };
      tick();
    });
    socket.on('data', (d) => {
      data += d.toString('latin1');
      if (statuses().length === 2) socket.end();
    });
    socket.on('error', (err) => (error = err.message));
    socket.on('close', () => resolve({ statuses: statuses(), sent, error }));
    socket.setTimeout(30_000, () => socket.destroy());
  });
}

test('an upload refused part way is read to its end, so a client still sending it gets the answer', async ({
  request,
}) => {
  // Chromium reads no answer until its upload is done or fails. A server that stopped reading left
  // it stuck until the connection was reset, and a reset can take the answer with it.
  const id = randomId(24);
  const head = `${batchMeta(`Drained ${id}`, id)}\nemail,name\n`;
  expect((await postBatch(request, `${head}first.${id}@example.com,A\n`)).status()).toBe(201);
  // The same upload again, 10 MB of it over about 8 s: refused as soon as its first line is read.
  const rows = Buffer.alloc(10 * 1024 * 1024, `x.${id}@example.com,Row\n`);
  expect(
    await uploadSlowlyThenReuse('/api/batches', Buffer.concat([Buffer.from(head), rows]), {
      chunk: 64 * 1024,
      every: 50,
    }),
  ).toEqual({ statuses: ['HTTP/1.1 409', 'HTTP/1.1 200'], sent: true, error: null });

  // An attachment with no declared length, found over the 18 MiB cap part way (readBodyCapped).
  expect(
    await uploadSlowlyThenReuse(query('big.pdf'), Buffer.alloc(21 * 1024 * 1024, 'a'), {
      chunk: 256 * 1024,
      every: 50,
      chunked: true,
    }),
  ).toEqual({ statuses: ['HTTP/1.1 413', 'HTTP/1.1 200'], sent: true, error: null });
});
