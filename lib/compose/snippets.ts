// "Copy as curl" / "Copy as fetch" for a Sendmux call. Client-safe and pure. The key is never an
// argument: the snippets read it from $SENDMUX_API_KEY / process.env.SENDMUX_API_KEY (or the
// variable `keyVariable` names, e.g. SENDMUX_MANAGEMENT_KEY for the management API).

export type SnippetInput = {
  /** The API base, e.g. https://smtp.sendmux.ai/api/v1. */
  apiUrl: string;
  /** e.g. /emails/send */
  path: string;
  method?: string;
  query?: Record<string, string | null | undefined>;
  idempotencyKey?: string | null;
  /** JSON body; left out when undefined or null. */
  body?: unknown;
  /** Raw upload: the file to send as the body instead of JSON. */
  file?: { name: string; contentType?: string };
  /** The environment variable holding the key; SENDMUX_API_KEY when left out. */
  keyVariable?: 'SENDMUX_API_KEY' | 'SENDMUX_MANAGEMENT_KEY';
};

/** One shell word in single quotes; a ' inside becomes '\'' (close, escaped quote, reopen). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function snippetUrl({ apiUrl, path, query }: Pick<SnippetInput, 'apiUrl' | 'path' | 'query'>): string {
  const url = apiUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) params.set(k, v);
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

export function curlCommand(input: SnippetInput): string {
  const method = (input.method ?? 'POST').toUpperCase();
  const lines = [`curl -X ${method} ${shellQuote(snippetUrl(input))}`];
  // Double quotes so the shell expands the variable; the key itself never appears.
  lines.push(`-H "Authorization: Bearer $${input.keyVariable ?? 'SENDMUX_API_KEY'}"`);
  if (input.idempotencyKey) lines.push(`-H ${shellQuote(`Idempotency-Key: ${input.idempotencyKey}`)}`);
  if (input.file) {
    lines.push(`-H ${shellQuote(`Content-Type: ${input.file.contentType ?? 'application/octet-stream'}`)}`);
    lines.push(`--data-binary @${shellQuote(input.file.name)}`);
    return lines.join(' \\\n  ');
  }
  if (input.body === undefined || input.body === null) return lines.join(' \\\n  ');
  lines.push(`-H 'Content-Type: application/json'`);
  // A quoted heredoc delimiter turns off every expansion, so the JSON needs no escaping; and no
  // line of JSON.stringify output can be the bare word JSON (strings are quoted, newlines escaped).
  lines.push(`--data-binary @- <<'JSON'`);
  return `${lines.join(' \\\n  ')}\n${JSON.stringify(input.body, null, 2)}\nJSON`;
}

/** JSON literals are valid JavaScript, so JSON.stringify quotes every string safely. */
const js = (value: unknown) => JSON.stringify(value);

export function fetchSnippet(input: SnippetInput): string {
  const method = (input.method ?? 'POST').toUpperCase();
  const headers = [
    `    Authorization: \`Bearer \${process.env.${input.keyVariable ?? 'SENDMUX_API_KEY'}}\`,`,
  ];
  if (input.idempotencyKey) headers.push(`    'Idempotency-Key': ${js(input.idempotencyKey)},`);
  let body: string | null = null;
  let prelude = '';
  if (input.file) {
    headers.push(`    'Content-Type': ${js(input.file.contentType ?? 'application/octet-stream')},`);
    prelude = `import { readFile } from 'node:fs/promises';\n\n`;
    body = `await readFile(${js(input.file.name)})`;
  } else if (input.body !== undefined && input.body !== null) {
    headers.push(`    'Content-Type': 'application/json',`);
    body = `JSON.stringify(${JSON.stringify(input.body, null, 2).replace(/\n/g, '\n  ')})`;
  }
  return [
    `${prelude}const res = await fetch(${js(snippetUrl(input))}, {`,
    `  method: ${js(method)},`,
    `  headers: {`,
    ...headers,
    `  },`,
    ...(body ? [`  body: ${body},`] : []),
    `});`,
    `console.log(res.status, res.headers.get('x-request-id'), await res.json());`,
  ].join('\n');
}
