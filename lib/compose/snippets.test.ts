import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curlCommand, fetchSnippet, shellQuote, snippetUrl } from '@/lib/compose/snippets';

const body = {
  from: { email: 'team@example.com', name: "O'Brien & Co" },
  to: { email: 'ada@example.com' },
  subject: `It's "done" $HOME \`id\``,
  html_body: "<p>Don't</p>\nJSON\n",
};

/** Runs the command through a real shell with curl replaced by a function that prints its arguments and stdin. */
function runInShell(
  command: string,
  key = 'smx_mbx_from_the_environment',
  variable = 'SENDMUX_API_KEY',
): { args: string[]; stdin: string } {
  const script = `curl() { printf '%s\\0' "$@"; printf '\\1'; cat; }\n${command}`;
  const out = execFileSync('bash', ['-c', script], {
    env: { ...process.env, SENDMUX_API_KEY: '', [variable]: key },
  }).toString();
  const [argPart = '', stdin = ''] = out.split('\u0001');
  return { args: argPart.split('\0').slice(0, -1), stdin };
}

describe('shellQuote', () => {
  it('wraps in single quotes and escapes single quotes inside', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(execFileSync('bash', ['-c', `printf '%s' ${shellQuote("a'b $HOME `x`")}`]).toString()).toBe(
      "a'b $HOME `x`",
    );
  });
});

describe('curlCommand', () => {
  const command = curlCommand({
    apiUrl: 'https://smtp.sendmux.ai/api/v1/',
    path: '/emails/send',
    idempotencyKey: "compose-it's-1",
    body,
  });

  it('writes the key as $SENDMUX_API_KEY, never a value', () => {
    expect(command).toContain('Authorization: Bearer $SENDMUX_API_KEY');
    expect(command).not.toMatch(/smx_/);
  });

  it('survives a real shell: the body arrives byte for byte, quotes and all, and the key comes from the environment', () => {
    const { args, stdin } = runInShell(command);
    expect(args).toEqual([
      '-X',
      'POST',
      'https://smtp.sendmux.ai/api/v1/emails/send',
      '-H',
      'Authorization: Bearer smx_mbx_from_the_environment',
      '-H',
      "Idempotency-Key: compose-it's-1",
      '-H',
      'Content-Type: application/json',
      '--data-binary',
      '@-',
    ]);
    expect(JSON.parse(stdin)).toEqual(body);
  });

  it('keeps a body line that reads JSON from ending the heredoc early', () => {
    const tricky = { html_body: 'JSON', text_body: 'a\nJSON\nb' };
    const { stdin } = runInShell(
      curlCommand({ apiUrl: 'https://x.test', path: '/emails/send', body: tricky }),
    );
    expect(JSON.parse(stdin)).toEqual(tricky);
  });

  it('leaves out the body and Idempotency-Key when there are none (GET /me)', () => {
    const me = curlCommand({ apiUrl: 'https://x.test/api/v1', path: '/me', method: 'GET' });
    expect(me).toBe(
      `curl -X GET 'https://x.test/api/v1/me' \\\n  -H "Authorization: Bearer $SENDMUX_API_KEY"`,
    );
    expect(runInShell(me).args).toEqual([
      '-X',
      'GET',
      'https://x.test/api/v1/me',
      '-H',
      'Authorization: Bearer smx_mbx_from_the_environment',
    ]);
  });

  it('reads a management call’s key from $SENDMUX_MANAGEMENT_KEY, keeping the logged query string', () => {
    const lookup = curlCommand({
      apiUrl: 'https://app.sendmux.ai/api/v1',
      path: '/emails/logs?search=ada%40example.com&limit=100',
      method: 'GET',
      keyVariable: 'SENDMUX_MANAGEMENT_KEY',
    });
    expect(lookup).not.toContain('SENDMUX_API_KEY');
    expect(runInShell(lookup, 'smx_root_from_the_environment', 'SENDMUX_MANAGEMENT_KEY').args).toEqual([
      '-X',
      'GET',
      'https://app.sendmux.ai/api/v1/emails/logs?search=ada%40example.com&limit=100',
      '-H',
      'Authorization: Bearer smx_root_from_the_environment',
    ]);
    expect(
      fetchSnippet({
        apiUrl: 'https://app.sendmux.ai/api/v1',
        path: '/emails/logs',
        method: 'GET',
        keyVariable: 'SENDMUX_MANAGEMENT_KEY',
      }),
    ).toContain('Authorization: `Bearer ${process.env.SENDMUX_MANAGEMENT_KEY}`');
  });

  it('sends a file for an upload, with the query string', () => {
    const upload = curlCommand({
      apiUrl: 'https://x.test',
      path: '/emails/attachments',
      query: { filename: "Q3 'final'.pdf", content_type: 'application/pdf' },
      file: { name: "Q3 'final'.pdf" },
    });
    const { args } = runInShell(upload);
    expect(args).toContain(
      'https://x.test/emails/attachments?filename=Q3+%27final%27.pdf&content_type=application%2Fpdf',
    );
    expect(args).toContain("@Q3 'final'.pdf");
  });
});

describe('fetchSnippet', () => {
  it('reads the key from process.env and sends the same body', async () => {
    const code = fetchSnippet({
      apiUrl: 'https://x.test/api/v1',
      path: '/emails/send',
      idempotencyKey: "k'1",
      body,
    });
    expect(code).toContain('Bearer ${process.env.SENDMUX_API_KEY}');
    expect(code).not.toMatch(/smx_/);
    // Run it against a stub fetch to prove it is valid JavaScript sending the right request.
    const calls: { url: string; init: { method: string; headers: Record<string, string>; body: string } }[] =
      [];
    const stubFetch = async (url: string, init: (typeof calls)[number]['init']) => {
      calls.push({ url, init });
      return { status: 200, headers: new Map([['x-request-id', 'req_1']]), json: async () => ({ ok: true }) };
    };
    const run = new Function('fetch', 'process', 'console', `return (async () => {\n${code}\n})();`) as (
      ...a: unknown[]
    ) => Promise<void>;
    await run(stubFetch, { env: { SENDMUX_API_KEY: 'smx_mbx_env' } }, { log: () => undefined });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://x.test/api/v1/emails/send');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.headers).toEqual({
      Authorization: 'Bearer smx_mbx_env',
      'Idempotency-Key': "k'1",
      'Content-Type': 'application/json',
    });
    expect(JSON.parse(calls[0]!.init.body)).toEqual(body);
  });

  it('has no body for GET', () => {
    const code = fetchSnippet({ apiUrl: 'https://x.test', path: '/me', method: 'GET' });
    expect(code).not.toContain('body:');
    expect(code).toContain(`method: "GET"`);
  });
});

describe('snippetUrl', () => {
  it('joins base and path without doubling slashes', () => {
    expect(snippetUrl({ apiUrl: 'http://127.0.0.1:3000/sandbox/api/v1/', path: 'emails/send' })).toBe(
      'http://127.0.0.1:3000/sandbox/api/v1/emails/send',
    );
  });
});
