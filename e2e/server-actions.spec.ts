// Every server action in the build, called the way Next's client calls it but without a session:
// each must refuse (redirect to sign-in) before it reads its input, except sign-in and first-run
// setup, which run signed out by design and must do nothing without valid input. The list comes
// from the build's manifest, so an action added later is covered without touching this file.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import type { ZodType } from 'zod';
import {
  changeRoleSchema,
  createUserSchema,
  setDisabledSchema,
  setupSchema,
  signInSchema,
} from '../lib/schemas/auth';
import { jobControlSchema, manualBatchInputSchema } from '../lib/schemas/batch';
import { htmlToTextInputSchema, profileInputSchema } from '../lib/schemas/compose';
import { sendEmailInputSchema } from '../lib/schemas/message';
import { clearOutboxInputSchema, sendTestEventInputSchema } from '../lib/schemas/sandbox';
import { smtpTestInputSchema } from '../lib/schemas/smtp';
import { deleteTemplateSchema, saveTemplateSchema } from '../lib/schemas/template';
import { E2E } from './support/constants';

const root = path.resolve(import.meta.dirname, '..');
const MANIFEST = path.join(root, '.next/server/server-reference-manifest.json');

// React's own reply encoder, as the browser uses it (the build is Turbopack's).
const { encodeReply } = createRequire(path.join(root, 'package.json'))(
  'next/dist/compiled/react-server-dom-turbopack/client.node',
) as { encodeReply: (args: unknown[]) => Promise<string | FormData> };

type Action = { id: string; name: string; file: string; page: string };

function readActions(): { actions: Action[]; error?: string } {
  if (!fs.existsSync(MANIFEST)) return { actions: [], error: `${MANIFEST} is missing: run next build first` };
  type Entry = { workers?: Record<string, unknown>; filename?: string; exportedName?: string };
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Record<string, Record<string, Entry>>;
  const actions = Object.entries({ ...manifest.node, ...manifest.edge }).map(([id, entry]) => ({
    id,
    name: entry.exportedName ?? id,
    file: entry.filename ?? '(no file in manifest)',
    page: pagePath(Object.keys(entry.workers ?? {})),
  }));
  return { actions: actions.sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name)) };
}

/** A URL of a page the action is bundled with ('app/(console)/batches/[id]/page' → '/batches/probe'). */
function pagePath(workers: string[]): string {
  const paths = workers
    .filter((w) => w.startsWith('app/') && w.endsWith('/page'))
    .map((w) => w.slice('app'.length, -'/page'.length).split('/'))
    .map((segments) => segments.filter((s) => s && !/^\(.*\)$/.test(s)));
  const best = paths.find((s) => !s.some((x) => x.startsWith('['))) ?? paths[0] ?? [];
  return `/${best.map((s) => (s.startsWith('[') ? 'probe' : s)).join('/')}`;
}

const { actions, error: manifestError } = readActions();

const run = Date.now().toString(36);
const message = {
  from: { email: 'sandbox@sendmux.test', name: '' },
  to: { email: `probe-${run}@example.com`, name: '' },
  cc: [],
  bcc: [],
  replyTo: { email: '', name: '' },
  returnPath: '',
  subject: 'Should never be sent',
  htmlBody: '<p>probe</p>',
  textBody: '',
  headers: [],
  attachments: [],
  deliveryGroup: '',
};
const { attachments: _attachments, ...templateMessage } = message;

/**
 * Input each action accepts, shape-wise (`schema` is checked below), so a forgotten session check
 * would let it act. `publicCode`: the action runs signed out by design and must answer this error.
 */
const PROBES: Record<string, { input: () => unknown[]; schema?: ZodType; publicCode?: string }> = {
  signInAction: {
    input: () => [{ email: `nobody-${run}@e2e.test`, password: 'not-a-password' }],
    schema: signInSchema,
    publicCode: 'invalid_credentials',
  },
  completeSetupAction: {
    input: () => [
      {
        token: 'not-the-setup-token',
        email: `setup-${run}@e2e.test`,
        password: 'probe-password-1',
        confirm: 'probe-password-1',
      },
    ],
    schema: setupSchema,
    publicCode: 'invalid_token',
  },
  signOutAction: { input: () => [] },
  clearOutboxAction: { input: () => [{ confirm: true }], schema: clearOutboxInputSchema },
  sendTestEventAction: { input: () => [{ confirm: true }], schema: sendTestEventInputSchema },
  sendEmailAction: {
    input: () => [{ profile: 'sandbox', idempotencyKey: `probe-${run}`, message }],
    schema: sendEmailInputSchema,
  },
  loadMailboxesAction: { input: () => [{ profile: 'sandbox' }], schema: profileInputSchema },
  htmlToTextAction: { input: () => [{ html: '<p>probe</p>' }], schema: htmlToTextInputSchema },
  saveTemplateAction: {
    input: () => [{ name: `probe ${run}`, overwrite: true, message: templateMessage }],
    schema: saveTemplateSchema,
  },
  deleteTemplateAction: { input: () => [{ id: 'tpl_probe' }], schema: deleteTemplateSchema },
  createUserAction: {
    input: () => [{ email: `created-${run}@e2e.test`, role: 'admin', password: 'probe-password-1' }],
    schema: createUserSchema,
  },
  changeRoleAction: { input: () => [{ userId: 'usr_probe', role: 'admin' }], schema: changeRoleSchema },
  setUserDisabledAction: {
    input: () => [{ userId: 'usr_probe', disabled: true }],
    schema: setDisabledSchema,
  },
  checkConnectionAction: { input: () => [{ profile: 'sandbox' }], schema: profileInputSchema },
  findResultsJobAction: { input: () => [{ jobId: 'probe' }], schema: jobControlSchema },
  sendManualBatchAction: {
    // The manual batch takes messages as Sendmux's wire format (snake_case), not the Compose form's.
    input: () => [
      {
        profile: 'sandbox',
        idempotencyKey: `probe-batch-${run}`,
        messages: [
          {
            from: { email: 'sandbox@sendmux.test' },
            to: { email: `probe-${run}@example.com` },
            subject: 'Should never be sent',
            html_body: '<p>probe</p>',
          },
        ],
      },
    ],
    schema: manualBatchInputSchema,
  },
  smtpTestSendAction: {
    input: () => [
      formData({
        profile: 'sandbox',
        authMethod: 'PLAIN',
        fromEmail: 'sandbox@sendmux.test',
        fromName: '',
        toEmail: `probe-smtp-${run}@example.com`,
        subject: 'Should never be sent',
        text: 'probe',
        html: '',
        attachment: new File(['probe'], 'probe.txt', { type: 'text/plain' }),
      }),
    ],
    schema: smtpTestInputSchema,
  },
  pauseJobAction: { input: () => [{ jobId: 'probe' }], schema: jobControlSchema },
  resumeJobAction: { input: () => [{ jobId: 'probe' }], schema: jobControlSchema },
  cancelJobAction: { input: () => [{ jobId: 'probe' }], schema: jobControlSchema },
  retryFailedRowsAction: { input: () => [{ jobId: 'probe' }], schema: jobControlSchema },
};
const PUBLIC = Object.keys(PROBES).filter((name) => PROBES[name]!.publicCode);

/** A FormData as the forms build it: JSON fields as strings, files as files. */
function formData(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields))
    form.set(k, v instanceof File ? v : typeof v === 'string' ? v : JSON.stringify(v));
  return form;
}

let anonymous: APIRequestContext;
test.beforeAll(async () => {
  anonymous = await playwrightRequest.newContext({
    baseURL: E2E.baseUrl,
    storageState: { cookies: [], origins: [] },
  });
});
test.afterAll(async () => {
  await anonymous.dispose();
});

/** POSTs the action the way Next's client router does. */
async function callAction(action: Action, args: unknown[]) {
  const body = await encodeReply(args);
  const headers = {
    'Next-Action': action.id,
    Accept: 'text/x-component',
    Origin: E2E.baseUrl,
    Referer: `${E2E.baseUrl}${action.page}`,
  };
  const response =
    typeof body === 'string'
      ? await anonymous.post(action.page, {
          headers: { ...headers, 'Content-Type': 'text/plain;charset=UTF-8' },
          data: body,
          maxRedirects: 0,
        })
      : await anonymous.post(action.page, { headers, multipart: body, maxRedirects: 0 });
  const redirect = response.headers()['x-action-redirect'] ?? response.headers()['location'] ?? null;
  const sessionCookies = response
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie' && /^(__Host-)?smx_session=[^;]/.test(h.value));
  return { status: response.status(), redirect, sessionCookies, text: await response.text() };
}

test('the build lists its server actions, the public ones among them', () => {
  expect(manifestError).toBeUndefined();
  expect(actions.length, `no server actions in ${MANIFEST}`).toBeGreaterThan(0);
  const lines = actions.map((a) => `${a.name}  ${a.file}  → POST ${a.page}`);
  console.log(`server actions in the build (${actions.length}):\n  ${lines.join('\n  ')}`);
  for (const line of lines) test.info().annotations.push({ type: 'server action', description: line });
  expect(actions.filter((a) => PUBLIC.includes(a.name)).map((a) => a.name)).toEqual(
    expect.arrayContaining(PUBLIC),
  );
});

test('every probe input passes its action’s schema', () => {
  for (const [name, probe] of Object.entries(PROBES)) {
    if (!probe.schema) continue;
    const result = probe.schema.safeParse(probe.input()[0]);
    expect(result.success, `${name}: ${result.error?.message}`).toBe(true);
  }
});

for (const action of actions) {
  const probe = PROBES[action.name];
  if (probe?.publicCode) {
    test(`${action.name} (public) starts no session and does nothing without valid input`, async () => {
      for (const [args, code] of [
        [probe.input(), probe.publicCode],
        [[{}], 'invalid_input'],
      ] as const) {
        const res = await callAction(action, [...args]);
        expect(res.status).toBe(200);
        expect(res.redirect).toBeNull();
        expect(res.sessionCookies).toEqual([]);
        expect(res.text).toContain('"ok":false');
        expect(res.text).toContain(`"code":"${code}"`);
      }
    });
    continue;
  }
  test(`${action.name} refuses a signed-out caller (${action.file})`, async () => {
    // With input the action accepts, and with none: the session check comes before anything else.
    for (const [what, args] of [
      ['valid input', probe?.input() ?? [{}]],
      ['no input', []],
    ] as const) {
      const res = await callAction(action, [...args]);
      const where = res.redirect ? new URL(res.redirect.split(';')[0]!, E2E.baseUrl).pathname : null;
      expect(where, `${action.name} with ${what} answered ${res.status}: ${res.text.slice(0, 300)}`).toBe(
        '/sign-in',
      );
      expect(res.sessionCookies).toEqual([]);
    }
  });
}

test('an action body over 1 MiB is refused before the action runs (sign-in included)', async () => {
  const signIn = actions.find((a) => a.name === 'signInAction');
  expect(signIn, 'signInAction in the build').toBeDefined();
  // Valid in shape, so an action that read it would answer invalid_credentials.
  const res = await callAction(signIn!, [
    { email: 'nobody@example.com', password: 'x'.repeat(1.5 * 1024 * 1024), next: '' },
  ]);
  expect(res.status, res.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(res.text).not.toContain('"code":"invalid_credentials"');
  expect(res.text).not.toContain('"code":"invalid_input"');
  expect(res.sessionCookies).toEqual([]);
});
